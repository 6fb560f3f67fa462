"""Who may ask: API keys, the console's users, and the audit of what was asked."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from orgnet.graph.connection import connect
from orgnet.graph.errors import BadRequest

from .common import (
    Format,
    FormatOpt,
    app,
    as_of_option,
    called,
    get_settings,
    keys_app,
    show,
    tell,
    users_app,
    visible,
    wide,
    words,
)

if TYPE_CHECKING:
    from orgnet.api.users import Users


class Role(StrEnum):
    viewer = "viewer"
    analyst = "analyst"
    admin = "admin"


# What a key and a user are both given.
RoleOpt = Annotated[Role, typer.Option("--role", help=words("help.keys_role"))]
JurisdictionOpt = Annotated[
    str,
    typer.Option("--jurisdiction", metavar=called("id"), help=words("help.keys_jurisdiction")),
]
PersonalDataOpt = Annotated[bool, typer.Option("--personal-data", help=words("help.keys_personal"))]


@keys_app.command("create", help=words("help.keys_create"))
def keys_create(
    role: RoleOpt,
    jurisdiction: JurisdictionOpt,
    personal_data: PersonalDataOpt = False,
    name: Annotated[
        str | None, typer.Option("--name", metavar=called("text"), help=words("help.keys_name"))
    ] = None,
) -> None:
    from orgnet.api.keys import Keys

    settings = get_settings()
    key, token = Keys(settings.api_home).create(
        role=role.value, jurisdiction=_jurisdiction(jurisdiction),
        personal_data=personal_data, name=name,
    )  # fmt: skip
    tell(
        words("cli.key_made", name=key.name, id=key.id, role=key.role,
           jurisdiction=key.jurisdiction,
           personal=words("cli.key_personal") if key.personal_data else "")
    )  # fmt: skip
    show(token)


@keys_app.command("list", help=words("help.keys_list"))
def keys_list() -> None:
    from orgnet.api.keys import Keys

    table = Table()
    for heading in ("id", "name", "role", "jurisdiction", "personal", "created", "revoked"):
        table.add_column(words(f"cli.keys_{heading}"))
    for key in Keys(get_settings().api_home).all():
        table.add_row(
            *(
                Text(visible(v))
                for v in (
                    key.id, key.name, key.role, key.jurisdiction,
                    words("cli.yes" if key.personal_data else "cli.no"), key.created,
                    key.revoked or "",
                )
            )
        )  # fmt: skip
    wide().print(table)


@keys_app.command("revoke", help=words("help.keys_revoke"))
def keys_revoke(
    which: Annotated[str, typer.Argument(metavar=called("name"), help=words("help.keys_which"))],
) -> None:
    from orgnet.api.keys import Keys

    key = Keys(get_settings().api_home).revoke(which)
    show(words("cli.key_revoked", name=key.name, id=key.id, when=key.revoked))


def _users() -> Users:
    from orgnet.api.users import Users

    settings = get_settings()
    return Users(settings.api_home)


def _jurisdiction(given: str) -> str:
    """A key's or a user's jurisdiction: ``all``, or the id of a district, street or community
    that exists (refused otherwise)."""
    from orgnet.api.access import ALL
    from orgnet.queries.scope import resolve_scope

    if given == ALL:
        return given
    with connect() as db:
        return str(resolve_scope(db, given).id)


def _password_from_stdin(asked: bool) -> str:
    """The password, the first line of standard input (typed, or piped from a secret store);
    never an option, which a shell's history and the process list would keep — so
    ``--password-stdin`` must say it comes that way."""
    if not asked:
        raise BadRequest("give the password on standard input with --password-stdin",
                         said="password_stdin")  # fmt: skip
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise BadRequest("no password on standard input", said="no_password")
    return password


@users_app.command("create", help=words("help.users_create"))
def users_create(
    name: Annotated[str, typer.Argument(metavar=called("name"), help=words("help.users_name"))],
    role: RoleOpt,
    jurisdiction: JurisdictionOpt,
    personal_data: PersonalDataOpt = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=words("help.users_password_stdin"))
    ] = False,
) -> None:
    password = _password_from_stdin(password_stdin)
    user = _users().create(
        name, role=role.value, jurisdiction=_jurisdiction(jurisdiction), password=password,
        personal_data=personal_data,
    )  # fmt: skip
    show(
        words("cli.user_made", name=user.name, role=user.role, jurisdiction=user.jurisdiction,
           personal=words("cli.key_personal") if user.personal_data else "")
    )  # fmt: skip


@users_app.command("list", help=words("help.users_list"))
def users_list() -> None:
    table = Table()
    for heading in ("name", "role", "jurisdiction", "personal", "created", "disabled", "locked"):
        table.add_column(words(f"cli.users_{heading}"))
    for user in _users().all():
        table.add_row(
            *(
                Text(visible(v))
                for v in (
                    user.name, user.role, user.jurisdiction,
                    words("cli.yes" if user.personal_data else "cli.no"), user.created,
                    user.disabled or "", user.locked_until or "",
                )
            )
        )  # fmt: skip
    wide().print(table)


@users_app.command("disable", help=words("help.users_disable"))
def users_disable(
    name: Annotated[str, typer.Argument(metavar=called("name"), help=words("help.users_name"))],
) -> None:
    user = _users().disable(name)
    when = (user.disabled or "")[:16].replace("T", " ") + " UTC"
    show(words("cli.user_disabled", name=user.name, when=when))


@users_app.command("passwd", help=words("help.users_passwd"))
def users_passwd(
    name: Annotated[str, typer.Argument(metavar=called("name"), help=words("help.users_name"))],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help=words("help.users_password_stdin"))
    ] = False,
) -> None:
    password = _password_from_stdin(password_stdin)
    user = _users().set_password(name, password)
    show(words("cli.user_password_set", name=user.name))


@app.command(help=words("help.audit"))
def audit(
    since: Annotated[
        str | None, typer.Option("--since", metavar=called("date"), help=words("help.audit_since"))
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", metavar=called("name"), help=words("help.audit_key"))
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    import json

    from orgnet.api.audit import AuditLog

    day = as_of_option(since) if since and len(since) <= 11 else since
    lines = list(AuditLog(get_settings().api_home).read(since=day, key=key))
    if fmt is Format.json:
        sys.stdout.write(json.dumps(lines, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is not Format.table:
        raise BadRequest("orgnet audit writes table or json", said="audit_formats")
    table = Table(title=words("cli.audit_title", count=f"{len(lines):,}"))
    for heading in ("time", "key", "route", "parameters", "jurisdiction", "rows", "outcome"):
        table.add_column(words(f"cli.audit_{heading}"), overflow="fold")
    for line in lines:
        table.add_row(
            *(
                Text(visible(str(v)))
                for v in (
                    line.get("time"), f"{line.get('key_name')} ({line.get('key_id')})",
                    line.get("route"), json.dumps(line.get("parameters"), ensure_ascii=False),
                    line.get("jurisdiction"), line.get("rows"), line.get("outcome"),
                )
            )
        )  # fmt: skip
    wide().print(table)
