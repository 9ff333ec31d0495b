"""Writing files the way a health record must be written.

A new file appears whole or not at all (written to a temporary file in the
same folder, flushed to disk, then linked into place), is readable by its
owner only (0600: a plan is protected health information), and never
replaces a file that exists, even one created a moment earlier by someone
else: `os.link` fails if the name is taken, where a rename would overwrite.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class FileExists(Exception):
    """The target exists; nothing was written."""


def create(path: Path, text: str, mode: int = 0o600) -> None:
    """Create `path` with `text`; raise FileExists if it is already there."""
    folder = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise FileExists(str(path)) from None
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
