"""Scaffold placeholders: what `txplan new` leaves for the clinician to fill.

`<...>` is text to write (`<the client's goal, in their own words>`),
`<# ...>` a number (`<# GAD-7 score today>`), and `<a|b|c>` a choice. TODO,
TBD, FIXME, XXX and runs of underscores count too, as clinicians write them.
C009 reports every one; other rules leave a placeholder to C009.
"""

from __future__ import annotations

import re

# `<...>` must start with a letter or `#`: "PHQ-9 <10 and GAD-7 >5" is no placeholder.
PATTERN = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX)\b|<[A-Za-z#][^<>\n]{0,99}>|_{3,}|"
    r"\[(?:insert|enter|add|describe|client|name|date|fill)[^\]]{0,60}\]"
)


def find(text: str) -> str | None:
    match = PATTERN.search(text)
    return match.group(0) if match else None


def only(text: str) -> bool:
    """True when the text is nothing but a placeholder (rules skip it)."""
    match = PATTERN.fullmatch(text.strip())
    return match is not None
