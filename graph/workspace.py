"""Private work folders for copies of rosters: an upload unpacked, a dataset copied before it
is loaded. Rosters hold names and phones, so what is copied is readable by its owner only
(folders 0700, files 0600), lives under a folder of the process that made it
(``<pid>-<random>``), and is removed when the work is done — or, when the process died first,
by the next one that clears the folder (``clear_leftovers``).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .engine import free_space, megabytes
from .errors import DiskFull, EngineError

FULL = (errno.ENOSPC, errno.EDQUOT)


@contextmanager
def writing(base: Path) -> Iterator[None]:
    """Copying rosters under ``base``: a full disk, or a folder this user may not write, said
    in one line naming it (nothing has been loaded yet)."""
    try:
        yield
    except OSError as e:
        if e.errno in FULL:
            raise DiskFull(
                f"the disk holding {base} is full ({megabytes(free_space(base))} free), so the "
                f"roster cannot be copied there to be loaded; nothing was loaded — free some "
                f"space and run the command again",
                said="disk_full_copy",
                folder=base,
                free=megabytes(free_space(base)),
            ) from e
        raise EngineError(
            f"cannot copy the roster into {base} to load it: {e.strerror or e}; that folder "
            f"must be writable by this user"
        ) from e


def work_folder(base: Path) -> Path:
    """A new private folder of this process under ``base`` (made, 0700, if it is not)."""
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = base / f"{os.getpid()}-{os.urandom(6).hex()}"
    folder.mkdir(mode=0o700)
    return folder


def private_file(path: Path) -> BinaryIO:
    """A new file only its owner may read, open for writing (an existing one is an error)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def clear_leftovers(base: Path) -> None:
    """Remove what processes no longer running left under ``base``."""
    if not base.is_dir():
        return
    for entry in base.iterdir():
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
