"""Indented JSON, as `json.dumps(value, indent=2, ensure_ascii=False)` writes
it, byte for byte, in a fraction of the time.

With an indent, the json module falls back to its pure-Python encoder: for
`txplan status --format json` on 10,000 plans that was a fifth of the run.
Here each string is encoded by json's C encoder and the rest is joined
directly; a value of any other type (a float, a dict with keys that are not
text) is left to json.dumps itself, indented where it stands.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string  # C, as dumps uses it
from typing import Any


def dumps(value: Any, at: str = "") -> str:
    """json.dumps(value, indent=2, ensure_ascii=False), its lines after the
    first indented by `at` (for a value written inside a larger document)."""
    return _encode(value, "\n" + at)


def _encode(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        inner = newline + "  "
        # Text, the commonest value, is encoded here: a call less for each.
        rows = ("," + inner).join(
            f"{_string(k)}: {_string(v) if type(v) is str else _encode(v, inner)}"
            for k, v in value.items()
        )
        return "{" + inner + rows + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        items = ("," + inner).join(
            _string(v) if type(v) is str else _encode(v, inner) for v in value
        )
        return "[" + inner + items + newline + "]"
    # A JSON string never holds a raw line break: every one here is the indent's.
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)
