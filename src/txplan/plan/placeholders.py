"""Scaffold placeholders: what `txplan new` leaves for the clinician to fill.

`<...>` is text to write (`<the client's goal, in their own words>`),
`<# ...>` a number (`<# GAD-7 score today>`), and `<a|b|c>` a choice. TODO,
TBD, FIXME, XXX and runs of underscores count too, as clinicians write them.
C009 reports every one; other rules leave a placeholder to C009.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from txplan.findings import Span, YamlPath

if TYPE_CHECKING:
    from txplan.plan.loader import Positions

# `<...>` must start with a letter or `#`: "PHQ-9 <10 and GAD-7 >5" is no placeholder.
PATTERN = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX)\b|<[A-Za-z#][^<>\n]{0,99}>|_{3,}|"
    r"\[(?:insert|enter|add|describe|client|name|date|fill)[^\]]{0,60}\]"
)

# Every placeholder holds one of these. Most texts hold none, and looking for
# each is far cheaper than PATTERN's search, which tries four branches at
# every character.
_MARKS = ("<", "___", "[", "TODO", "TBD", "FIXME", "XXX")


def _may_hold(text: str) -> bool:
    return any(mark in text for mark in _MARKS)


def find(text: str) -> str | None:
    match = PATTERN.search(text) if _may_hold(text) else None
    return match.group(0) if match else None


def any_in(texts: Iterable[str]) -> bool:
    """Whether any of the texts holds a placeholder, in one search of them
    joined by line breaks: what matches in one text matches the same in the
    whole (a line break is no word character, as a text's ends are not), and
    a match across two texts only costs the search of each."""
    joined = "\n".join(texts)
    return _may_hold(joined) and PATTERN.search(joined) is not None


def find_all(text: str) -> list[str]:
    """Every placeholder in the text, in order: C009 reports each one."""
    if not _may_hold(text):
        return []
    return [match.group(0) for match in PATTERN.finditer(text)]


def count(data: Any) -> int:
    """How many placeholders the values of loaded plan data hold (keys and
    comments aside): the number of C009 findings the file will get."""
    if isinstance(data, str):
        return len(PATTERN.findall(data))
    if isinstance(data, dict):
        return sum(count(value) for value in data.values())
    if isinstance(data, list):
        return sum(count(item) for item in data)
    return 0


def source_pattern(found: str) -> re.Pattern[str]:
    """`found` as it may stand in the YAML source: a folded or plain scalar
    breaks lines (and indents) where the value has one space, and quoting
    doubles a single quote or escapes a double one."""
    parts = []
    for piece in re.split(r"(\s+)", found):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s+")
            continue
        for char in piece:
            if char == "'":
                parts.append("'{1,2}")
            elif char == '"':
                parts.append(r'\\?"')
            else:
                parts.append(re.escape(char))
    return re.compile("".join(parts))


def only(text: str) -> bool:
    """True when the text is nothing but a placeholder (rules skip it)."""
    match = PATTERN.fullmatch(text.strip())
    return match is not None


def hits(
    text: str, path: YamlPath, positions: Positions | None
) -> Iterator[tuple[YamlPath, str] | tuple[YamlPath, str, Span]]:
    """One hit per placeholder in `text`, each at its own place in the file
    when the source shows it (else at the value)."""
    found = find_all(text)
    if not found:
        return
    patterns = [source_pattern(item) for item in found]
    spans = positions.within(path, patterns) if positions else [None] * len(found)
    for item, span in zip(found, spans, strict=True):
        text_ = message(item)
        yield (path, text_) if span is None else (path, text_, span)


def message(found: str) -> str:
    return (
        f"`{found}` is a placeholder. Replace it with what this plan records (the client's "
        "own words where it asks for them)."
    )
