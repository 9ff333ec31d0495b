"""Editing a plan in place without losing a byte the clinician wrote.

Every command that changes a plan (`measure`, `review`) goes through here:

- ruamel.yaml's round trip keeps comments, blank lines, key order, quoting
  and flow style; indentation is detected from the file, not assumed, so an
  unchanged plan is written back byte for byte;
- the new text goes to a temporary file in the same folder, is flushed to
  disk and renamed over the plan, keeping its permissions: a crash leaves the
  old file or the new one, never half of one;
- if the file changed on disk after it was read, nothing is written.
"""

from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from txplan import files
from txplan.loader import MAX_BYTES


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
    yaml.width = 4096  # never re-wrap a clinician's long line
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
        return out.getvalue()


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


def open_plan(path: Path) -> Document:
    from ruamel.yaml.comments import CommentedMap

    try:
        with open(path, "rb") as handle:
            original = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise EditError(f"{path}: cannot read the file ({exc.strerror or exc}).") from None
    if len(original) > MAX_BYTES or b"\x00" in original:
        raise EditError(f"{path}: not a plan txplan can edit (run `txplan lint {path}`).")
    try:
        text = original.decode("utf-8")
        yaml = _yaml_for(text)
        data = yaml.load(text)
    except Exception:  # any YAML, date or encoding error: lint says exactly where
        raise EditError(
            f"{path}: fix what `txplan lint {path}` reports before editing it."
        ) from None
    if not isinstance(data, CommentedMap):
        raise EditError(f"{path}: not a plan (run `txplan lint {path}`).")
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
        raise EditError(f"{path}: cannot read the file ({exc.strerror or exc}).") from None
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
