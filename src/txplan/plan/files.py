"""Reading and writing files the way a health record must be: reads are
bounded (no device or pipe makes txplan read or wait for ever), writes are
atomic.

Every file txplan writes appears whole or not at all: the text goes to a
temporary file in the same folder, is flushed to disk, and only then takes
the file's name; the folder is flushed too, so the new name survives a
crash. `create` never takes a name that exists, even one created a moment
earlier by someone else (`os.link` fails where a rename would overwrite);
`replace` swaps a file for its new text (edits, rendered copies, reports).
New files are readable by their owner only unless asked otherwise (0600: a
plan is protected health information).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# What names a plan file: `<client id>.plan.yaml`.
PLAN_SUFFIX = ".plan.yaml"
# A session note: Markdown with YAML front matter (txplan.plan.notes).
NOTE_SUFFIX = ".note.md"


class FileExists(Exception):
    """The target exists; nothing was written."""


def create(path: Path, text: str, mode: int = 0o600) -> None:
    """Create `path` with `text`; raise FileExists if it is already there."""

    def link(temp: str) -> None:
        try:
            os.link(temp, path)
        except FileExistsError:
            raise FileExists(str(path)) from None

    _write(path, text, mode, link)


def replace(path: Path, text: str, mode: int = 0o600) -> None:
    """Write `text` as `path`, replacing it atomically if it exists. Raises OSError."""
    _write(path, text, mode, lambda temp: os.replace(temp, path))


def _write(path: Path, text: str, mode: int, put_in_place: Callable[[str], None]) -> None:
    folder = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        put_in_place(temp)
        _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _fsync_folder(folder: Path) -> None:
    # The new directory entry itself must reach the disk too.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The file's first `limit` bytes (default: one past the loader's limit).
    A device such as /dev/zero must not make txplan read forever, nor a
    named pipe make it wait forever on opening: both are refused."""
    import stat

    from txplan.plan.loader import MAX_BYTES

    want = MAX_BYTES + 1 if limit is None else limit
    # O_NONBLOCK: opening a pipe with no writer returns at once instead of waiting.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        # Asked for `want` bytes at once, the reader makes room for all of
        # them (a megabyte) for every plan of a caseload: ask for the size
        # the file says it has, and a byte more, so a file that says 0 (as
        # /proc's do) is still read.
        chunks: list[bytes] = []
        got = 0
        step = min(want, info.st_size + 1)
        while got < want:
            # Only an empty read says the file has ended: a network or FUSE
            # filesystem may answer a read with less before the end.
            piece = os.read(fd, min(step, want - got))
            if not piece:
                break
            chunks.append(piece)
            got += len(piece)
            step = max(step, 1 << 16)  # a file that grew since the stat
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def read_stream_limited(stream: BinaryIO, limit: int | None = None) -> bytes:
    """What read_limited reads from a file, from a stream (standard input):
    at most one byte past the loader's limit, so a plan piped from a
    runaway command is an F001 finding, not all the memory there is."""
    from txplan.plan.loader import MAX_BYTES

    return stream.read(MAX_BYTES + 1 if limit is None else limit)


def cannot_read(name: object, exc: OSError) -> str:
    """What to say of a file that could not be read, named as `name`."""
    return f"{name}: cannot read the file ({exc.strerror or exc})."
