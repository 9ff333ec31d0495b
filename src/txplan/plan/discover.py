"""Finding the plans a command works on, from the paths it was given."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from txplan.plan.files import PLAN_SUFFIX, read_limited

if TYPE_CHECKING:
    from txplan.plan.loader import Loaded

# Folders a plans repository keeps that hold no current plans.
SKIPPED_DIRS = {"archive", "out", "node_modules", "__pycache__"}


_OTHER_YAML = (".yaml", ".yml")


class UsageError(Exception):
    """The command cannot run as asked (exit 2); the message is one line."""


def discover(
    paths: Iterable[str],
    passed_over: list[tuple[str, Path]] | None = None,
    skipped: list[str] | None = None,
) -> Iterator[tuple[str, Path]]:
    """(name to report, path) for every plan under the given paths.

    A file named on the command line is linted whatever its name; in a
    folder, only `*.plan.yaml` outside hidden, archive and output folders,
    and not hidden files. A file reached twice is given once.
    The other YAML files found in a folder (`*.yaml`, `*.yml`) are added to
    `passed_over` when it is given, for lint to say which of them it skipped.
    A `*.plan.yaml` in a folder that is no regular file (a named pipe, a
    device, a symbolic link that loops or leads nowhere), and a folder that
    cannot be listed, are never opened: each is a line in `skipped`, so a
    plan that was not read is never taken for one that passed.
    """
    notes: list[str] = [] if skipped is None else skipped
    seen: set[str] = set()  # one file reached twice (`lint . a.plan.yaml`) is read once

    def first_time(full: Path) -> bool:
        key = os.path.realpath(full)
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = []
            other = []
            for root, dirs, files in os.walk(path, onerror=_noted(notes)):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
                for name in files:
                    if name.startswith("."):
                        continue  # editors' lock and backup files (.#C-1042.plan.yaml)
                    if name.endswith(PLAN_SUFFIX):
                        found.append(Path(root) / name)
                    elif passed_over is not None and name.endswith(_OTHER_YAML):
                        other.append(Path(root) / name)
            for full in sorted(found):
                shown = os.path.join(given, os.path.relpath(full, path))
                why = not_a_file(full)
                if why is not None:
                    notes.append(f"{shown}: skipped, {why}; nothing in it was checked.")
                elif first_time(full):
                    yield shown, full
            if passed_over is not None:
                passed_over.extend(
                    (os.path.join(given, os.path.relpath(full, path)), full)
                    for full in sorted(other)
                )
        elif path.exists():
            if first_time(path):
                yield given, path
        elif os.path.islink(path):
            raise UsageError(f"{given}: {not_a_file(path)}.")
        else:
            raise UsageError(f"{given}: no such file or folder.")


def _noted(notes: list[str]) -> Callable[[OSError], None]:
    """os.walk's onerror: a folder it cannot list is said, not passed over in silence."""

    def unlisted(exc: OSError) -> None:
        notes.append(f"{exc.filename}: cannot read the folder ({exc.strerror or exc}).")

    return unlisted


def not_a_file(path: Path) -> str | None:
    """Why `path` is not a regular file txplan can read without waiting
    (None when it is one). A stat never opens: a pipe cannot make it wait."""
    import errno
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops back on itself"
        if exc.errno == errno.ENOENT:
            return "a symbolic link to a file that does not exist"
        return f"it cannot be read ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def read_each(
    paths: Iterable[str],
    problems: list[str],
    each: Callable[[list[tuple[str, Path]]], Iterable[tuple[str, Path]]] = iter,
) -> Iterator[tuple[str, Path, Loaded]]:
    """Each plan under `paths`, read and parsed; a file that cannot be read is
    reported in `problems` and skipped, and so is a file in a folder that
    looks like a plan under another name (`C-1042.plan.yml`): its review
    date would otherwise go unseen. `each` walks the plans found (the
    commands pass one that shows a progress bar)."""
    from txplan.plan import sniff
    from txplan.plan.loader import load_bytes

    passed_over: list[tuple[str, Path]] = []
    found = list(discover(paths, passed_over, skipped=problems))
    for name, path in each(found):
        try:
            loaded = load_bytes(read_limited(path))
        except OSError as exc:
            problems.append(f"{name}: cannot read the file ({exc.strerror or exc}).")
            continue
        yield name, path, loaded
    for name, path in passed_over:
        head = sniff.peek(path)
        if name.endswith(".plan.yml") or sniff.looks_like_plan(head):
            problems.append(f"{name}: not read: {sniff.unread_message(name, head)}")
