"""Telling a plan from the other files in a plans folder, cheaply.

A folder holds txplan.toml, .pre-commit-config.yaml, plan.schema.json and
notes beside its plans. Linting one of those by name must say what it is
(not "the file is empty"), and a folder lint must say when it passes over a
file that looks like a plan but is not named like one (F008), since a plan
nobody checks looks exactly like a plan that passed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from txplan.plan.files import PLAN_SUFFIX

if TYPE_CHECKING:
    from txplan.findings import Finding
    from txplan.plan.loader import Loaded

# A plan's format key and client ID come first; a few KB is plenty to see them.
PEEK_BYTES = 4096


@cache
def _patterns() -> dict[str, re.Pattern[bytes]]:
    """Compiled on first use: a one-file lint needs none of them."""
    id_ = rb"""id[ \t]*:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9._-]*)"""
    return {
        "format": re.compile(rb"^txplan[ \t]*:", re.M),
        "client": re.compile(rb"^client[ \t]*:", re.M),
        "goals": re.compile(rb"^goals[ \t]*:", re.M),
        "id_flow": re.compile(rb"^client[ \t]*:[ \t]*\{[^}\n]*?\b" + id_, re.M),
        "id_block": re.compile(rb"^client[ \t]*:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+" + id_, re.M),
    }


_NOT_YAML = {
    ".toml": "TOML",
    ".json": "JSON",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".txt": "plain text",
    ".rst": "reStructuredText",
}


def looks_like_plan(head: bytes) -> bool:
    """A top-level `txplan:` key, or `client:` with `goals:`."""
    found = _patterns()
    return bool(found["format"].search(head)) or (
        bool(found["client"].search(head)) and bool(found["goals"].search(head))
    )


def client_id(head: bytes) -> str | None:
    """The client ID written in the first lines, if it can be seen without parsing."""
    patterns = _patterns()
    found = patterns["id_flow"].search(head) or patterns["id_block"].search(head)
    if not found:
        return None
    from txplan.plan.identity import is_client_id

    # Only a real client ID may be suggested as a file name.
    value = found.group(1).decode("ascii")
    return value if is_client_id(value) else None


def peek(path: Path) -> bytes:
    """The first few KB of `path` (nothing when it cannot be read)."""
    from txplan.plan.files import read_limited

    try:
        return read_limited(path, PEEK_BYTES)
    except OSError:
        return b""


def unread_message(name: str, head: bytes) -> str:
    wanted = f"{client_id(head) or '<client id>'}{PLAN_SUFFIX}"
    return (
        f"{Path(name).name} looks like a plan, but txplan reads only files named "
        f"`*{PLAN_SUFFIX}`, so nothing in it was checked. Rename it to `{wanted}`."
    )


def not_a_plan(name: str, loaded: Loaded) -> Finding | None:
    """One F003 finding saying the file is not a plan, in place of what reading
    it as one found ("empty", a syntax error), or None if it may be a plan."""
    from txplan.findings import reading_finding

    data = loaded.data
    if isinstance(data, dict) and "txplan" in data:
        return None
    path = Path(name)
    kind = _NOT_YAML.get(path.suffix.lower())
    advice = (
        "txplan lints plans: YAML files named `<client id>.plan.yaml` that start with `txplan: 1`."
    )
    if kind is not None:
        message = f"{path.name} is {kind}, not a plan. {advice}"
    elif name.endswith(PLAN_SUFFIX):
        return None  # named as a plan: what reading it found is the finding
    elif isinstance(data, dict) and "client" in data and "goals" in data:
        return None  # a plan missing its format key: F003's own message says so
    elif data is None and any(f.code == "F001" for f in loaded.findings):
        return None  # broken YAML: where it breaks helps more than a guess
    else:
        message = f"{path.name} is not a txplan plan: it has no `txplan:` format key. {advice}"
    return reading_finding("F003", message)
