"""The `orgnet` command: thin commands over loaders/ and queries/, grouped in commands/.

Domain errors become exit statuses here, in one place (``main``):

    0 done · 1 a fault in orgnet itself (a bug: report it) · 2 a bad request (an option,
    argument, output path or environment setting) · 3 the dataset has problems · 4 not found ·
    5 the database is not reachable or refused the credentials · 6 the engine could not be
    built or started · 7 busy: another load is writing the graph

and every failure is one plain line on stderr, never a traceback (ORGNET_DEBUG=1 adds it).
Anything that can hold a user's text (a name, an id, a log) is printed without markup and with
control characters made visible.
"""

from __future__ import annotations

import os
import sys
import traceback

from orgnet.graph.errors import BadRequest, DiskFull, OrgnetError

from . import commands  # noqa: F401  (registers every command on the app)
from .commands.common import LANG, app, tell, words
from .commands.questions import GapKind
from .labels import error_words
from .usage import usage_error

__all__ = ["GapKind", "app", "main"]


def _system_refusal(e: OSError) -> OrgnetError | None:
    """What the system refused (a full disk, a file this user may not write), in one line;
    None for what only a fault in orgnet would cause."""
    import errno

    where = f" ({e.filename})" if e.filename else ""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"the disk is full{where}; free some space and run the command again "
            f"(a load completes what it had written)",
            said="disk_full",
            where=where,
        )
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BadRequest(
            f"{e.strerror}{where}: this user may not use it; check its permissions",
            said="refused",
            reason=e.strerror,
            where=where,
        )
    return None


def main() -> None:
    """Entry point: runs the app and turns every failure into one line and an exit status."""
    from typer import Abort
    from typer._click.exceptions import ClickException, UsageError

    try:
        code = app(standalone_mode=False, prog_name="orgnet")
        if isinstance(code, int) and code:
            sys.exit(code)
    except OrgnetError as e:
        tell(words("cli.error", text=error_words(e, LANG)))
        sys.exit(e.exit_code)
    except UsageError as e:
        tell(words("cli.error", text=usage_error(e, LANG)))
        command = e.ctx.command_path if e.ctx is not None else "orgnet"
        tell(words("click.try_help", command=command))
        sys.exit(e.exit_code)
    except ClickException as e:
        tell(words("cli.error", text=e.format_message()))
        sys.exit(e.exit_code)
    except (KeyboardInterrupt, Abort):
        tell(words("cli.interrupted"))
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (orgnet gaps estates | head): nothing more to say to it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as e:
        if os.environ.get("ORGNET_DEBUG"):
            traceback.print_exc()
        refused = _system_refusal(e) if isinstance(e, OSError) else None
        if refused is not None:
            tell(words("cli.error", text=error_words(refused, LANG)))
            sys.exit(refused.exit_code)
        tell(words("cli.error", text=words("cli.fault", kind=type(e).__name__, detail=e)))
        sys.exit(1)


if __name__ == "__main__":
    main()
