"""Editing a plan in place without losing a byte the clinician wrote.

Every command that changes a plan (`measure`, `review`) goes through here:

- ruamel.yaml's round trip keeps comments, blank lines, key order, quoting
  and flow style; indentation is detected from the file, not assumed, so an
  unchanged plan is written back byte for byte;
- the new text goes to a temporary file in the same folder, is flushed to
  disk and renamed over the plan, keeping its permissions: a crash leaves the
  old file or the new one, never half of one;
- if the file changed on disk after it was read, nothing is written;
- the whole read-modify-write holds an exclusive lock on the plan (`editing`),
  so two txplan commands editing one plan at once take turns instead of one
  silently overwriting the other's change;
- a symbolic link is edited through, in its target, and never replaced by a
  copy; a plan with a structural (F) error is refused, not edited.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from txplan.plan import files
from txplan.plan.loader import MAX_BYTES

# Called with the file's name and the bytes read under the lock, before they
# are parsed for editing; raises EditError to refuse the edit (the workflow
# passes one that refuses a plan with structural errors).
Vet = Callable[[Path, bytes], None]

# How long an edit waits for another one on the same plan to finish.
LOCK_WAIT_SECONDS = 30.0


class EditError(Exception):
    """The plan cannot be edited as asked; the message is one line (exit 2)."""


class ChangedOnDisk(EditError):
    pass


_KEY_LINE = re.compile(r"^(\s*)[^\s#-][^:]*:\s*(#.*)?$")
_DASH_LINE = re.compile(r"^(\s*)- ")


def _sequence_offset(text: str) -> int:
    """How far the file indents `- ` under its key (2 in txplan's own files)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        key = _KEY_LINE.match(line)
        if not key:
            continue
        for following in lines[i + 1 :]:
            if not following.strip() or following.lstrip().startswith("#"):
                continue
            dash = _DASH_LINE.match(following)
            if dash:
                return max(0, len(dash.group(1)) - len(key.group(1)))
            break
    return 2


def _yaml_for(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never re-wrap a clinician's long line
    offset = _sequence_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    yaml.explicit_start = text.lstrip().startswith("---")
    return yaml


@dataclass
class Document:
    """A plan read for editing: its round-trip data and what it was on disk."""

    path: Path
    original: bytes
    data: Any  # ruamel CommentedMap
    yaml: Any

    def dumps(self) -> str:
        _unshare(self.data, set())
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return keep_layout(self.original.decode("utf-8"), out.getvalue())


_BOM = "\ufeff"
# Lines ruamel may leave out on the way back that carry no data: blank lines,
# comment-only lines after the last key, and document markers.
_LAYOUT_ONLY = re.compile(r"^\s*(?:#.*)?$|^(?:---|\.\.\.)\s*(?:#.*)?$")


def keep_layout(original: str, dumped: str) -> str:
    """The dumped text with every line the edit did not change exactly as the
    file had it: its line ending (CRLF, LF or none at the end), the BOM, and
    blank lines, comments and `...` markers ruamel would drop. New lines take
    the file's usual line ending."""
    import difflib
    from collections import Counter

    bom = original[: len(original) - len(original.lstrip(_BOM))]  # one, or a doubled one
    body = original[len(bom) :]
    old = body.splitlines(keepends=True)
    bare = [line.rstrip("\r\n") for line in old]
    new = dumped.split("\n")
    if new and new[-1] == "":
        new.pop()
    crlf = sum(line.endswith("\r\n") for line in old)
    ending = "\r\n" if crlf * 2 > len(old) else "\n"
    # Only what the dump lost: a blank line ruamel moved is not put back twice.
    lost = Counter(bare) - Counter(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, bare, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += old[i1:i2]
            continue
        if op == "delete":
            # The edit removes nothing a clinician wrote: only what ruamel lost.
            for line, plain in zip(old[i1:i2], bare[i1:i2], strict=True):
                if lost[plain] and _LAYOUT_ONLY.match(plain):
                    lost[plain] -= 1
                    out.append(line)
            continue
        out += [line + ending for line in new[j1:j2]]
    if out and old and not old[-1].endswith("\n") and out[-1] == old[-1] + ending:
        out[-1] = old[-1]  # no line ending at the end, as before
    return bom + "".join(out)


def _anchored(value: Any) -> bool:
    anchor = getattr(value, "anchor", None)
    return anchor is not None and anchor.value is not None


def _unshare(node: Any, seen: set[int]) -> None:
    """Give each place in the plan its own object: ruamel writes one object
    met twice as `&id001` and `*id001`, which no clinician wrote and few can
    read. Anchors the file itself names (`&goal`) are the clinician's and stay."""
    import copy
    import datetime as dt

    if isinstance(node, dict):
        places: list[Any] = list(node)
    elif isinstance(node, list):
        places = list(range(len(node)))
    else:
        return
    for place in places:
        value = node[place]
        if not isinstance(value, dict | list | dt.date) or _anchored(value):
            continue
        if id(value) in seen:
            value = copy.deepcopy(value)
            node[place] = value
        seen.add(id(value))
        _unshare(value, seen)


def _real(path: Path) -> Path:
    """The file a plan path names, through any symbolic links: editing the
    link's target keeps the link, and the plan it points to gets the change."""
    try:
        return path.resolve(strict=True)
    except RuntimeError:  # a loop of links (Python 3.11)
        raise EditError(f"{path}: a symbolic link that loops back on itself.") from None
    except OSError as exc:
        raise EditError(files.cannot_read(path, exc)) from None


def _lock(real: Path, shown: Path) -> int:
    """An open descriptor of the plan holding an exclusive lock on it. The
    plan is replaced by rename on every save, so the lock taken must be on
    the file that has the name now; otherwise open again."""
    import fcntl

    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            # O_NONBLOCK: a named pipe in the plan's place must not wait for a writer.
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            raise EditError(files.cannot_read(shown, exc)) from None
        try:
            held = os.fstat(fd)
            if not stat.S_ISREG(held.st_mode):
                raise EditError(f"{shown}: not a regular file; txplan edits plan files only.")
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EditError(
                            f"{shown}: another program has been editing it for "
                            f"{LOCK_WAIT_SECONDS:g} s; nothing was written. Try again."
                        ) from None
                    time.sleep(0.01)
            try:
                now = os.stat(real)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while we waited: lock the new file


@contextlib.contextmanager
def editing(path: Path, vet: Vet | None = None) -> Iterator[Document]:
    """The plan, read under an exclusive lock held until the block ends: call
    `save` inside it. With `vet`, what was read is vetted before it is edited."""
    real = _real(path)
    fd = _lock(real, path)
    try:
        document = open_plan(real, vet, shown=path)
        yield document
    finally:
        os.close(fd)  # releases the lock


def open_plan(path: Path, vet: Vet | None = None, shown: Path | None = None) -> Document:
    from ruamel.yaml.comments import CommentedMap

    from txplan.plan.files import read_limited

    shown = shown or path
    try:
        original = read_limited(path)
    except OSError as exc:
        raise EditError(files.cannot_read(shown, exc)) from None
    if vet is not None:
        vet(shown, original)
    if len(original) > MAX_BYTES or b"\x00" in original:
        raise EditError(f"{shown}: not a plan txplan can edit (run `txplan lint {shown}`).")
    try:
        # ruamel reads (and writes) LF and no BOM; keep_layout puts them back.
        text = original.decode("utf-8").lstrip(_BOM).replace("\r\n", "\n")
        yaml = _yaml_for(text)
        data = yaml.load(text)
    except Exception:  # any YAML, date or encoding error: lint says exactly where
        raise EditError(
            f"{shown}: fix what `txplan lint {shown}` reports before editing it."
        ) from None
    if not isinstance(data, CommentedMap):
        raise EditError(f"{shown}: not a plan (run `txplan lint {shown}`).")
    return Document(path, original, data, yaml)


def set_value(mapping: Any, key: str, value: Any) -> None:
    """Set `key`; a new key goes last, and the blank lines that followed the
    old last key move below it, so the plan's spacing stays where it was."""
    import copy
    import datetime as dt

    if isinstance(value, dt.date):
        # A fresh object: ruamel writes one object used twice as an &anchor/*alias.
        value = copy.deepcopy(value)
    if key in mapping or not len(mapping):
        mapping[key] = value
        return
    last = list(mapping)[-1]
    token = mapping.ca.items.get(last, [None, None, None, None])[2]
    mapping[key] = value
    if token is None or "\n" not in token.value:
        return
    comment, _, trailing = token.value.partition("\n")
    if not trailing:
        return
    moved = copy.copy(token)
    moved.value = "\n" + trailing
    mapping.ca.items[key] = [None, None, moved, None]
    if comment.strip():
        token.value = comment + "\n"
    else:
        del mapping.ca.items[last]


def append(mapping: Any, key: str, item: Any, flow_items: bool = False) -> None:
    """Append `item` to the list under `key` (made if absent); an empty
    `[]` becomes a block list. flow_items: write the item on one line."""
    from ruamel.yaml.comments import CommentedSeq

    items = mapping.get(key)
    if items is None:
        items = CommentedSeq()
        set_value(mapping, key, items)
    if not isinstance(items, list):
        raise EditError(f"`{key}` is not a list; fix it first (`txplan lint`).")
    if hasattr(items, "fa"):
        items.fa.set_block_style()
    if flow_items and hasattr(item, "fa"):
        item.fa.set_flow_style()
    items.append(item)


def save(document: Document) -> None:
    """Write the document back atomically, unless the file changed meanwhile."""
    text = document.dumps()
    path = document.path
    try:
        current = path.read_bytes()
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise EditError(files.cannot_read(path, exc)) from None
    if current != document.original:
        raise ChangedOnDisk(
            f"{path} changed on disk while txplan was editing it; nothing was written. Run the "
            "command again."
        )
    try:
        files.replace(path, text, mode)
    except OSError as exc:
        raise EditError(
            f"{path}: could not write the file ({exc.strerror or exc}); it is unchanged."
        ) from None
