"""What a client ID looks like, and whether one gives away who the client is.

A client ID names the plan's file, shows in `git log`, in reports and in
file listings; so it must be a plain record number (C-1042), never carry the
client's name or birth date. This module is the one place that says what an
ID looks like: the plan model (F002), `txplan lint` (C014, C015) and
`txplan new` all ask it. Pure functions.
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

# A practice's record number: ASCII letters and digits in runs joined by a
# single `-`, `_` or `.`, with at least one digit (C-1042, INT-0042, 1043).
# Written without look-arounds so the model (pydantic's Rust regex) and the
# JSON Schema use this very text. Nothing else may name a file: no spaces,
# no slashes, no line breaks, no invisible or look-alike characters.
CLIENT_ID_MAX = 40
CLIENT_ID_PATTERN = r"^(?:[A-Za-z0-9]+[._-])*[A-Za-z]*[0-9][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*$"
CLIENT_ID_SHAPE = (
    f"ASCII letters and digits, joined by single `-`, `_` or `.`, with at least one digit "
    f"and at most {CLIENT_ID_MAX} characters, e.g. C-1042"
)
_CLIENT_ID = re.compile(CLIENT_ID_PATTERN)
_RUNS = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
# Letters that show as blank space although Unicode files them as letters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Control characters have no Unicode name; these are the ones worth naming.
_CONTROL_NAMES = {
    "\t": "CHARACTER TABULATION (a tab)",
    "\n": "LINE FEED (a line break)",
    "\r": "CARRIAGE RETURN",
    "\x00": "NULL",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}
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


def is_client_id(text: str) -> bool:
    """Whether `text` has the shape of a client ID (not whether it is opaque:
    see `identifying`)."""
    return len(text) <= CLIENT_ID_MAX and _CLIENT_ID.fullmatch(text) is not None


def invisible(text: str) -> list[tuple[int, str]]:
    """Each character of `text` that cannot be seen or that changes how the
    text around it shows (controls, zero-width and bidi-override characters,
    spaces other than the plain space, blank letters), with its index."""
    import unicodedata

    return [
        (i, c)
        for i, c in enumerate(text)
        if c in _BLANK_LETTERS
        or (c != " " and unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp", "Zs"))
    ]


def character_name(char: str) -> str:
    """`U+200B ZERO WIDTH SPACE`: the code point and its Unicode name."""
    import unicodedata

    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    if not name:
        name = "a control character" if unicodedata.category(char) == "Cc" else "unnamed"
    return f"U+{ord(char):04X} {name}"


def shown(text: str, limit: int = CLIENT_ID_MAX) -> str:
    """`text` safe to echo on one line: invisible characters written as
    `\\u200b`, and cut after `limit` characters with the full length said."""
    hidden = {i for i, _ in invisible(text)}
    out = "".join(_escaped(c) if i in hidden else c for i, c in enumerate(text[:limit]))
    return out if len(text) <= limit else f"{out}… ({len(text)} characters)"


def _escaped(char: str) -> str:
    short = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if short:
        return short
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def client_id_problem(text: str) -> str | None:
    """What keeps `text` from being a client ID, said in a clause ("it holds
    U+200B ZERO WIDTH SPACE, ..."); None when it has the shape of one. A
    name is reported as a name (C014's reading) even though it also lacks a
    digit, since that is the problem to fix."""
    if not text:
        return "it is empty"
    hidden = invisible(text)
    if hidden:
        index, char = hidden[0]
        return f"it holds {character_name(char)}, an invisible or control character, at position {index + 1}"
    if len(text) > CLIENT_ID_MAX:
        return f"it is {len(text)} characters long, more than the {CLIENT_ID_MAX} an ID may have"
    odd = next((c for c in text if not (c.isascii() and (c.isalnum() or c in "._-"))), None)
    if odd is not None:
        what = "a space" if odd == " " else f"`{odd}` ({character_name(odd)})"
        return f"it holds {what}, which a client ID may not contain"
    if _RUNS.fullmatch(text) is None:
        return "`-`, `_` and `.` may only stand between letters or digits, one at a time"
    if not any(c.isdigit() for c in text):
        reason = identifying(text)
        return reason or "it has no digit, and a record number has at least one"
    return None


def id_refusal(text: str) -> str | None:
    """One line refusing `text` as a client ID, saying what an ID looks like;
    None when it is one."""
    problem = client_id_problem(text)
    if problem is None:
        return None
    if problem == identifying(text):
        return advice(text, problem)
    return (
        f"'{shown(text)}' is not a client ID: {problem}. A client ID is a record number, "
        f"{CLIENT_ID_SHAPE}; never the client's name."
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
