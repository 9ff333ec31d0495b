"""ICD-10-CM look-ups from the compact index in txplan/data/icd10cm.

The index is generated from simple-icd-10-cm's April 2026 data by
scripts/build_icd_index.py; one gzipped file per first letter is read the
first time a code with that letter is looked up (F is 9 KB), so a plan costs
about a millisecond here instead of the two seconds the package's own import
takes.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_SPELLING = re.compile(r"^([A-Z])([0-9][0-9A-Z])([0-9A-Z]{0,4})$")


@dataclass(frozen=True)
class CodeInfo:
    code: str  # dotted, canonical: F41.1
    title: str
    billable: bool


def dotted(undotted: str) -> str:
    return undotted if len(undotted) <= 3 else f"{undotted[:3]}.{undotted[3:]}"


def canonical_spelling(raw: str) -> str | None:
    """The canonical dotted spelling of a code-shaped string, or None.

    `f41.1`, `F411`, ` F41.1 ` and `F41.1` all give `F41.1`; whether that
    code exists is `lookup`'s question.
    """
    squeezed = raw.strip().upper().replace(".", "", 1)
    m = _SPELLING.match(squeezed)
    if not m:
        return None
    return dotted(squeezed)


@cache
def _letter(letter: str) -> dict[str, tuple[bool, str]]:
    table: dict[str, tuple[bool, str]] = {}
    name = f"{letter}.tsv.gz"
    path = Path(__file__).parent.parent / "data" / "icd10cm" / name
    try:
        if path.is_file():
            raw = path.read_bytes()
        else:  # installed inside a zip: importlib.resources reads it there
            from importlib import resources

            raw = resources.files("txplan.data").joinpath("icd10cm", name).read_bytes()
        data = gzip.decompress(raw).decode("utf-8")
    except OSError:
        return table
    for line in data.splitlines():
        code, kind, title = line.split("\t", 2)
        table[code] = (kind == "b", title)
    return table


def lookup(code: str) -> CodeInfo | None:
    """The code's entry, for a canonical dotted code; None if it does not exist."""
    if not code:
        return None
    key = code.replace(".", "")
    entry = _letter(key[0]).get(key)
    if entry is None:
        return None
    return CodeInfo(dotted(key), entry[1], entry[0])


def billable_children(code: str, limit: int = 8) -> list[CodeInfo]:
    """Billable codes under a category or subcategory, in code order."""
    key = code.replace(".", "")
    table = _letter(key[0]) if key else {}
    out = []
    for child, (billable, title) in table.items():
        if billable and child.startswith(key) and child != key:
            out.append(CodeInfo(dotted(child), title, True))
            if len(out) >= limit:
                break
    return out


def nearest(raw: str, limit: int = 3, whole_category: int = 6) -> list[CodeInfo]:
    """Real billable codes spelled most like `raw`, for a "did you mean".

    When the category is right and small (F41.7: F41.0 ... F41.9), all of
    its codes are the honest answer: they are equally close as spellings.
    """
    import difflib

    key = raw.strip().upper().replace(".", "")
    if not key or not key[0].isalpha():
        return []
    table = _letter(key[0])
    pool = [c for c, (b, _) in table.items() if b and c.startswith(key[:3])]
    if pool and len(pool) <= whole_category:
        found = pool
    else:
        if not pool:
            pool = [c for c, (b, _) in table.items() if b and len(c) <= max(len(key), 4)]
        found = difflib.get_close_matches(key, pool, n=limit, cutoff=0.5)
    return [CodeInfo(dotted(c), table[c][1], True) for c in found]
