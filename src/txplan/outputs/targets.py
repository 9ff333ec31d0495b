"""Where a command's output may go, decided before anything is written.

Every `-o` (lint, render, export) is checked here, in one place. `-o` names:

- a file: replaced atomically and owner-only (txplan.plan.files), as ruff and
  pandoc overwrite the file they are told to write;
- a folder, existing or written with a trailing `/`: the output goes inside
  it, named as a folder render names its copies; a folder txplan makes is
  owner-only (0700), and only its last level is made, so a mistyped path
  is an error rather than a new tree of folders;
- `-`: the screen.

What a write would destroy is refused with one line (exit 2): anything that
is not a regular file (a device, a named pipe, a socket: the temporary file
is renamed over the name, so a device node itself would be replaced), a
symbolic link (a planted link must not carry a plan's text elsewhere), one of
the command's own inputs, `txplan.toml`, and any plan or note, by its name
or by what it holds: `render C-1.plan.yaml -o C-1.plan.yaml` must not turn
the plan into Markdown. A folder render's default `out/` must stay inside
the folder it renders: a committed `out` link to a shared folder would send
every plan there.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

STDOUT = "-"
# Names that hold what a command reads: never the name of its output.
PROTECTED_SUFFIXES = (".plan.yaml", ".plan.yml", ".note.yaml")
SETTINGS_NAME = "txplan.toml"
FOLDER_MODE = 0o700


class OutputError(Exception):
    """The output cannot go where it was asked to (exit 2); the message is one line."""


Kind = Literal["stdout", "file", "folder"]


@dataclass(frozen=True)
class Target:
    """Where output goes: the screen, one checked file, or a folder to write in."""

    kind: Kind
    path: Path | None = None
    inputs: frozenset[tuple[int, int]] = field(default=frozenset(), repr=False)
    shown: str = ""  # how to name it in a message: as the user wrote it

    def destination(self, name: str) -> Path:
        """The file to write: the named file, or `name` inside the folder (checked)."""
        if self.kind == "file":
            assert self.path is not None
            # Checked again: a lint of a large folder runs long after -o was read.
            _check_file(self.path, self.shown, self.inputs)
            return self.path
        if self.kind != "folder" or self.path is None:
            raise OutputError("nothing to write to: the output goes to the screen.")
        if name in ("", ".", "..") or os.sep in name or "\0" in name:
            raise OutputError(f"'{name}' cannot name a file in {self.shown}.")
        path = self.path / name
        _check_file(path, str(path), self.inputs, parent_checked=True)
        return path

    def write(self, text: str, name: str = "") -> Path:
        """Write `text` as the target file (or as `name` in the folder, made 0700
        if missing). Nothing is left half written: the old file stays whole."""
        from txplan.plan import files

        path = self.destination(name)
        if self.kind == "folder":
            _make_folder(path.parent)
        try:
            files.replace(path, text)
        except OSError as exc:
            raise OutputError(
                f"cannot write {path} ({exc.strerror or exc}); nothing was written "
                "and any earlier copy is as it was."
            ) from None
        return path

    def remove_stale(self, name: str) -> Path | None:
        """Remove the copy `name` in the folder, if it is a regular file: a copy
        of a plan that could not be rendered now shows the plan as it no longer
        stands. Returns the path removed, if any."""
        if self.kind != "folder" or self.path is None or not name or os.sep in name:
            return None
        path = self.path / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None
            os.unlink(path)
        except OSError:
            return None
        return path


def copy_name(source: Path, client_id: str | None, redact: bool, extension: str) -> str:
    """The name of a rendered or exported copy of `source`: `C-1042.plan.html`;
    a de-identified copy is named by the client ID (a file name may hold the
    client's name): `C-1042.redacted.html`."""
    if redact and client_id:
        stem = client_id
    else:
        stem = source.name.removesuffix(".yaml").removesuffix(".yml")
    return f"{stem}{'.redacted' if redact else ''}.{extension}"


def target(output: str | None, inputs: Iterable[Path | str] = ()) -> Target:
    """Classify and check `-o` for a command that writes one output."""
    if output is None or output == STDOUT:
        return Target("stdout")
    read = _identities(inputs)
    _check_text(output)
    path = Path(output)
    shown = f"-o {output}"
    if output.endswith(("/", os.sep)) or os.path.isdir(path):
        return _folder(path, shown, read)
    _check_file(path, shown, read)
    return Target("file", path, read, shown)


def folder_target(output: str | None, source: Path, inputs: Iterable[Path | str] = ()) -> Target:
    """Classify and check where a folder render writes: `-o` (a folder, made
    if missing) or `out/` inside `source`, which must not lead out of it."""
    read = _identities(inputs)
    if output == STDOUT:
        raise OutputError(
            "-o -: a folder render writes one file per plan, so it needs a folder "
            f"(default: {source / 'out'}); render one plan to see it on the screen."
        )
    if output is not None:
        _check_text(output)
        path = Path(output)
        if os.path.lexists(path) and not os.path.isdir(path):
            raise OutputError(
                f"-o {output} is a file: a folder render writes one file per plan into "
                "a folder. Name a folder."
            )
        return _folder(path, f"-o {output}", read)
    out = source / "out"
    if os.path.islink(out):
        inside = os.path.realpath(source)
        points = os.path.realpath(out)
        if os.path.commonpath([inside, points]) != inside:
            raise OutputError(
                f"{out} is a symbolic link to {points}, outside {inside}: a folder "
                "render writes only inside the folder it renders. Remove the link, or "
                "name the output folder with -o."
            )
    return _folder(out, str(out), read)


def _folder(path: Path, shown: str, read: frozenset[tuple[int, int]]) -> Target:
    if os.path.isdir(path):
        return Target("folder", path, read, shown)
    if os.path.lexists(path):
        if shown == str(path):  # the default out/, not named by the user
            raise OutputError(
                f"{path} is not a folder: a folder render writes its copies into it. "
                "Move it away, or name the output folder with -o."
            )
        raise OutputError(f"{shown}: {path} is not a folder.")
    _check_parent(path, shown)
    return Target("folder", path, read, shown)


def _check_text(output: str) -> None:
    if not output.strip():
        raise OutputError("-o needs a file or folder name (or - for the screen).")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in output):
        # A newline in a name would also split every line that shows it.
        raise OutputError(
            f"-o {output!r}: a file name with a control character (a newline, a tab) "
            "is refused; name the file with letters, digits, dots and dashes."
        )


def _check_parent(path: Path, shown: str) -> None:
    parent = path.parent
    if os.path.isdir(parent):
        return
    what = "is not a folder" if os.path.lexists(parent) else "does not exist"
    raise OutputError(
        f"{shown}: the folder {parent} {what}; create it first, or name a folder that exists."
    )


_KINDS = (
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_file(
    path: Path, shown: str, read: frozenset[tuple[int, int]], parent_checked: bool = False
) -> None:
    try:
        found = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        _check_name(path, shown)
        if not parent_checked:
            _check_parent(path, shown)
        return
    except OSError as exc:
        raise OutputError(f"{shown}: {exc.strerror or exc}.") from None
    mode = found.st_mode
    if stat.S_ISLNK(mode):
        raise OutputError(
            f"{shown} is a symbolic link: txplan writes only to a regular file, so the "
            "link is never replaced and nothing is written through it. Name the file itself."
        )
    if not stat.S_ISREG(mode):
        kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
        raise OutputError(
            f"{shown} is {kind}: txplan writes only to regular files. Name a file or "
            "a folder, or - for the screen."
        )
    if (found.st_dev, found.st_ino) in read:
        raise OutputError(
            f"{shown} is one of the files this command reads; writing there would "
            "replace it. Name another file."
        )
    _check_name(path, shown)
    from txplan.plan.sniff import looks_like_plan, peek

    if looks_like_plan(peek(path)):
        raise OutputError(
            f"{shown} holds a plan: txplan never writes its output over a plan. Name another file."
        )


def _check_name(path: Path, shown: str) -> None:
    name = path.name.lower()
    if name == SETTINGS_NAME:
        what = "txplan's settings file"
    elif name.endswith(PROTECTED_SUFFIXES):
        suffix = next(s for s in PROTECTED_SUFFIXES if name.endswith(s))
        what = f"named like a {'note' if suffix == '.note.yaml' else 'plan'} (*{suffix})"
    else:
        return
    raise OutputError(
        f"{shown} is {what}: txplan never writes its output there. Name another "
        "file, e.g. one ending in .html, .md, .json or .txt."
    )


def _identities(inputs: Iterable[Path | str]) -> frozenset[tuple[int, int]]:
    """Device and inode of each input that exists (hard links and symlinks
    to an input are the input)."""
    out = set()
    for each in inputs:
        try:
            found = os.stat(each)
        except (OSError, ValueError):
            continue  # a missing input is the command's own error to report
        out.add((found.st_dev, found.st_ino))
    return frozenset(out)


def _make_folder(path: Path) -> None:
    try:
        os.mkdir(path, FOLDER_MODE)
    except FileExistsError:
        if not os.path.isdir(path):
            raise OutputError(f"{path} is a file, not a folder.") from None
    except OSError as exc:
        raise OutputError(f"cannot make the folder {path} ({exc.strerror or exc}).") from None
