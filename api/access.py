"""Who may ask what, defined once for every door: an API key (``keys``) and a console user
(``users``) are both a ``Caller`` — a role, a jurisdiction and the right to read personal data.

Roles rank ``viewer`` < ``analyst`` < ``admin``: a viewer asks the questions (a data screen, the
console's home and question pages); an analyst also looks entities up, searches and walks
neighbourhoods; an admin also uploads. A jurisdiction is a district, street or community id,
or ``all``. Everything downstream — the guard, the jurisdiction's cut, the masking of personal
data, the audit log — reads only these fields, so a key and a user with the same grant see the
same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from orgnet.graph.errors import BadRequest

ROLES = ("viewer", "analyst", "admin")
ALL = "all"  # the jurisdiction of a caller who may read everything


@dataclass(frozen=True, kw_only=True)
class Caller:
    id: str  # what the audit log names it by
    name: str
    role: str
    jurisdiction: str  # a district, street or community id, or ALL
    personal_data: bool

    kind: ClassVar[str] = "caller"  # "key" or "user", in the audit log

    def may(self, role: str) -> bool:
        """Whether this caller's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def everywhere(self) -> bool:
        return self.jurisdiction == ALL


def check_role(role: str) -> str:
    if role not in ROLES:
        raise BadRequest(f"role {role!r} is not one of {', '.join(ROLES)}", said="bad_role",
                         role=role, roles=", ".join(ROLES))  # fmt: skip
    return role
