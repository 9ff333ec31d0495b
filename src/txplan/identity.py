"""Whether a client ID gives away who the client is.

A client ID names the plan's file, shows in `git log`, in reports and in
file listings; so it must be opaque (C-1042), never carry the client's name
or birth date. Pure functions: `txplan lint` (C014) and `txplan new` ask the
same question.
"""

from __future__ import annotations

import datetime as dt
import re

_LETTERS = re.compile(r"[^\W\d_]+")
# Words of an ID: split at separators and where lower case turns upper (AnaBeltran).
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# A run of digits (with `-`, `_` or `.` inside) that may be a date.
_DIGITS = re.compile(r"(?<!\d)\d[\d._-]*\d(?!\d)")
_SEPARATORS = re.compile(r"[._-]")
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Words practices put in IDs for a site or a program (OPT-CBT-12, North-Clinic-12).
_PROGRAM_WORDS = frozenset(
    [
        "clinic",
        "group",
        "intake",
        "site",
        "program",
        "team",
        "unit",
        "north",
        "south",
        "east",
        "west",
        "central",
        "main",
        "adult",
        "child",
        "teen",
        "youth",
        "family",
        "couple",
        "couples",
        "opt",
        "iop",
        "php",
        "outpatient",
        "inpatient",
        "res",
        "residential",
        "tele",
        "telehealth",
        "office",
        "school",
    ]
)


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dates_in(run: str) -> list[dt.date]:
    """The real dates a digit run can be read as: YYYY-MM-DD, YYYYMMDD,
    MM-DD-YYYY or MMDDYYYY (with `-`, `_` or `.` between the parts, or none)."""
    parts = _SEPARATORS.split(run)
    found: list[dt.date | None] = []
    for a, b, c in zip(parts, parts[1:], parts[2:], strict=False):
        if not (a.isdigit() and b.isdigit() and c.isdigit()):
            continue
        if len(a) == 4 and len(b) <= 2 and len(c) <= 2:
            found.append(_date(int(a), int(b), int(c)))
        elif len(a) <= 2 and len(b) <= 2 and len(c) == 4:
            found.append(_date(int(c), int(a), int(b)))
    for digits in parts:
        if len(digits) == 8 and digits.isdigit():
            found.append(_date(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
            found.append(_date(int(digits[4:]), int(digits[:2]), int(digits[2:4])))
    return [d for d in found if d]


def _dob_forms(dob: dt.date) -> set[str]:
    """The birth date written every common way, without separators."""
    y, m, d = f"{dob.year:04d}", f"{dob.month:02d}", f"{dob.day:02d}"
    return {y + m + d, m + d + y, d + m + y, m + d + y[2:], d + m + y[2:], y[2:] + m + d}


def identifying(client_id: str, name: str | None = None, dob: dt.date | None = None) -> str | None:
    """What in `client_id` identifies the client (their name, a birth date,
    words that read as a name), said in a sentence; None for an opaque ID."""
    for part in _LETTERS.findall(name or ""):
        if len(part) >= 2 and re.search(
            rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", client_id, re.IGNORECASE
        ):
            return f"it carries part of the client's name (`{part}`)"
    if dob is not None:
        squashed = _SEPARATORS.sub("", client_id)
        for run in re.findall(r"\d+", squashed):
            if any(form in run for form in _dob_forms(dob)):
                return "it carries the client's date of birth"
    for run in _DIGITS.findall(client_id):
        found = _dates_in(run)
        if found:
            return (
                f"it carries a date (`{run}`, read as {found[0].isoformat()}), maybe a birth date"
            )
    words = [
        word
        for token in _SEPARATORS.split(client_id)
        if token.isalpha()  # ABC123 is a code, not a word
        for word in _WORD.findall(token)
        # CBT, IOP, WEST: acronyms and program words are codes, not names
        if len(word) >= 3 and not word.isupper() and word.lower() not in _PROGRAM_WORDS
    ]
    if len(words) >= 2:
        return f"it reads as a person's name (`{' '.join(words)}`)"
    return None


def advice(client_id: str, reason: str) -> str:
    return (
        f"The client ID `{client_id}` identifies the client: {reason}. IDs identify, they do "
        "not describe: use an opaque ID such as C-1042 (and name the file by it), and keep "
        "the name and date of birth inside the plan."
    )
