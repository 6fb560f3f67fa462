"""Validation on both cores: the largest tables of a large dataset read in a second process.

Validation is Python on one core while the engine idles, and a province's rows take a minute
and a half of it. So while this process reads some of the tables, a second reads the others —
the largest first, until each side has about half of the bytes — with a validator of its own,
and hands back what it found (``validate._Part``): its problems, the ids its rows define in
their order (logged, not indexed: the loader's memory holds one index), the references it left
for after the pass, and what the checks after the pass read. The validator here takes that in
as if it had read those tables itself, in their place in the dataset's order, so the checks
after the pass and every problem they find are the same; a dataset whose problems would
depend on that order (an id defined on both sides, more problems of a kind than are kept)
fails, and is read again in one pass for its problems to be said as one pass says them.

A first load's import files are written on both sides, each by a writer of its own
(``loaders.bulk.ImportFiles.aside``), and joined after.

Only CSV files go aside (a workbook's sheets are read where it is opened), only from
``SPLIT_BYTES`` on (a second interpreter costs about half a second to start) and never for a
load limited to a jurisdiction, whose check follows every row in order (``reach``).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from .files import Dataset, Table

if TYPE_CHECKING:
    from .validate import RowSink, _Part

# From this many bytes of CSV on, a dataset is read on two cores.
SPLIT_BYTES = 48 * 2**20


def tables_aside(dataset: Dataset, split_bytes: int | None = None) -> list[int]:
    """The positions (in the dataset's order) of the tables to read in the second process:
    none below ``split_bytes`` (SPLIT_BYTES by default); else the largest CSV files, each
    given to the side with fewer bytes so far, the second process first."""
    limit = SPLIT_BYTES if split_bytes is None else split_bytes
    sizes: list[tuple[int, int]] = []
    here = 0  # bytes that can only be read here (sheets of a workbook)
    for position, table in enumerate(dataset.tables):
        if table.unreadable is not None:
            continue
        try:
            size = table.source.stat().st_size
        except OSError:
            continue  # read here, where the problem is said
        if table.sheet is None:
            sizes.append((size, position))
        else:
            here = max(here, size)  # one workbook, however many sheets
    if len(sizes) < 2 or sum(size for size, _ in sizes) < limit:
        return []
    aside: list[int] = []
    there = 0
    for size, position in sorted(sizes, reverse=True):
        if there <= here:
            aside.append(position)
            there += size
        else:
            here += size
    return sorted(aside) if len(aside) < len(sizes) else []


class Aside:
    """The second process, reading ``tables`` (with their places in the dataset) with a
    validator of its own, and its writer of import files (``sink``) when there is one.

    It is this interpreter run as ``python -m orgnet.loaders.aside``, not a fork (this
    process may hold threads: a progress bar's, a server's) nor multiprocessing's spawn (which
    runs the caller's script again in the child, where a script without a main guard loads
    twice). It reads its work from its stdin and says its progress, then what it found, on
    its stdout, each as one pickled message; a thread here reads them as they come."""

    def __init__(
        self, tables: list[tuple[int, Table]], keep_extra: bool, sink: RowSink | None
    ) -> None:
        # What it says outside its messages (a Python that cannot start): read if it fails.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in `stop`)
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", __name__],  # -P: not from the working folder
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )
        self.read = 0  # rows the second process has read, as it last said
        self.reported = 0  # of them, those told to `advance`
        self.said: tuple[str, object] | None = None
        self.listening = threading.Thread(target=self._listen, daemon=True)
        self.listening.start()
        assert self.process.stdin is not None
        try:
            pickle.dump((tables, keep_extra, sink), self.process.stdin, pickle.HIGHEST_PROTOCOL)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it ended at once: `result` says how

    def _listen(self) -> None:
        assert self.process.stdout is not None
        try:
            while True:
                kind, found = pickle.load(self.process.stdout)
                if kind == "read":
                    self.read = int(found)  # type: ignore[call-overload]
                else:
                    self.said = (kind, found)
                    return
        except (EOFError, pickle.UnpicklingError, OSError):
            return

    def _news(self) -> int:
        now = self.read
        news, self.reported = now - self.reported, now
        return news

    def advancing(self, advance: Callable[[int], None]) -> Callable[[int], None]:
        """``advance``, told of this process's rows and of the second's since last time."""
        return lambda rows: advance(rows + self._news())

    def result(self, advance: Callable[[int], None]) -> tuple[_Part, object]:
        """What the second process found, and what its writer of import files wrote (None
        without one), once it is done."""
        while self.listening.is_alive():
            self.listening.join(0.2)
            advance(self._news())
        self.process.wait()
        if self.said is None or self.said[0] != "done":
            if self.said is not None:
                said = str(self.said[1])
            else:  # it said nothing: what its Python wrote instead
                self.errors.seek(0)
                said = self.errors.read().decode("utf-8", errors="replace")[-4000:]
            raise RuntimeError(
                f"the second validating process (exit {self.process.returncode}) failed:\n{said}"
            )
        found: tuple[_Part, object] = self.said[1]  # type: ignore[assignment]
        return found

    def stop(self) -> None:
        """The second process ended, whatever it was doing (a load stopped meanwhile)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.close()


def _main() -> None:
    """The second process: its work from stdin, its progress and findings to stdout."""
    from .validate import _Validator

    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the messages
    tables, keep_extra, sink = pickle.load(sys.stdin.buffer)
    read = 0

    def advance(rows: int) -> None:
        nonlocal read
        read += rows
        pickle.dump(("read", read), out)
        out.flush()

    try:
        validator = _Validator(None, keep_extra, aside=True)
        for _, table in tables:
            validator.scan(table, advance, sink)
        found = (validator.part(tables), sink.finished() if sink is not None else None)
        pickle.dump(("done", found), out, pickle.HIGHEST_PROTOCOL)
    except Exception:  # said where the load is, which stops with it
        pickle.dump(("failed", traceback.format_exc()), out)
    out.flush()


if __name__ == "__main__":
    _main()
