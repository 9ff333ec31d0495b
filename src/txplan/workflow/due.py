"""`txplan due`: which plans need their review, soonest first.

Reads only what it needs: each plan's events through the loader (no model,
no rules), so a caseload of a thousand plans takes about a second.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from txplan import __version__
from txplan.plan.discover import read_each_raw
from txplan.plan.identity import is_client_id
from txplan.settings.reading import ConfigFinder


@dataclass(frozen=True)
class Row:
    file: str
    client_id: str
    clinician: str
    payer: str
    review_by: dt.date | None
    days_left: int | None  # negative: overdue by that many days
    last_review: dt.date | None
    state: str  # overdue | due soon | scheduled | no review date
    # reviews recorded so far: each one moves the review date, so a calendar
    # takes the event with the higher number as the newer (RFC 5545 SEQUENCE)
    reviews: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "client_id": self.client_id,
            "clinician": self.clinician,
            "payer": self.payer,
            "review_by": self.review_by.isoformat() if self.review_by else None,
            "days_left": self.days_left,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "state": self.state,
        }


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _date(value: Any) -> dt.date | None:
    """A date as the plan model reads one: a YAML date or quoted ISO text."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def collect(
    paths: Iterable[str],
    today: dt.date,
    config_override: str | None = None,
    use_cache: bool = True,
) -> tuple[list[Row], list[str]]:
    """Every plan's review row, soonest first, and the plans that could not
    be read. What each plan says (its ID, dates, clinician) is remembered in
    the cache beside lint's, keyed by its text, so an unchanged caseload is
    not parsed again; the date and the settings are applied on every run."""
    from txplan.plan.loader import load_bytes
    from txplan.workflow import cache

    finder = ConfigFinder(Path(config_override) if config_override else None)
    caches = cache.Caches(cache.EntryCache, "due.json")
    rows: list[Row] = []
    problems: list[str] = []
    for name, path, raw in read_each_raw(paths, problems, _with_bar):
        config = finder.for_file(path)
        home: cache.EntryCache | None = None
        facts: dict[str, Any] | None = None
        if use_cache:
            home = caches.for_plan(config, path)
            entry = cache.facts_key("due", name, raw)
            facts = _checked(home.entry(entry))
        if facts is None:
            facts = _facts(name, load_bytes(raw).data)
        if home is not None:
            home.keep(entry, facts)
        if "problem" in facts:
            problems.append(facts["problem"])
        else:
            rows.append(_row(name, facts, today, config.due_soon_days))
    caches.save()
    rows.sort(key=lambda r: (r.review_by is None, r.review_by or dt.date.max, r.client_id))
    return rows, problems


def _facts(name: str, data: Any) -> dict[str, Any]:
    """What `due` needs from a plan's parsed data, as JSON values; or
    {"problem": why} when the plan cannot be listed."""
    client = data.get("client") if isinstance(data, dict) else None
    if not isinstance(client, dict):
        client = {}
    client_id = client.get("id")
    # The model is not built here, so the ID pattern is checked here: an ID
    # with a line break or an escape sequence must not reach a table or a
    # calendar, and a bare number (1e5) is not the ID the file meant.
    if not isinstance(client_id, str) or not is_client_id(client_id):
        return {"problem": f"{name}: not a readable plan; run `txplan lint {name}`."}
    clinician = data.get("clinician")
    written_review_by = data.get("review_by")
    review_by = _date(written_review_by)
    if written_review_by is not None and review_by is None:
        # `review_by: 2026-13-01` is a review date nobody will see: never "none".
        return {
            "problem": f"{name}: review_by is not a date (YYYY-MM-DD); run `txplan lint {name}`."
        }
    reviews = data.get("reviews")
    dates = (
        [_date(r.get("date")) for r in reviews if isinstance(r, dict)]
        if isinstance(reviews, list)
        else []
    )
    last = max((d for d in dates if d), default=None)
    return {
        "client_id": client_id,
        "clinician": _text(clinician.get("name")) if isinstance(clinician, dict) else "",
        "payer": _text(client.get("payer")),
        "review_by": review_by.isoformat() if review_by else None,
        "last_review": last.isoformat() if last else None,
        "reviews": len(reviews) if isinstance(reviews, list) else 0,
    }


def _checked(stored: Any) -> dict[str, Any] | None:
    """Facts read back from the cache, or None if they do not hold together."""
    if not isinstance(stored, dict):
        return None
    if set(stored) == {"problem"}:
        return stored if isinstance(stored["problem"], str) else None
    texts = ("client_id", "clinician", "payer")
    try:
        if set(stored) != {*texts, "review_by", "last_review", "reviews"}:
            return None
        if not all(type(stored[k]) is str for k in texts) or type(stored["reviews"]) is not int:
            return None
        for k in ("review_by", "last_review"):
            if stored[k] is not None:
                dt.date.fromisoformat(stored[k])
    except (TypeError, ValueError):
        return None
    return stored


def _row(name: str, facts: dict[str, Any], today: dt.date, soon: int) -> Row:
    review_by = dt.date.fromisoformat(facts["review_by"]) if facts["review_by"] else None
    last = dt.date.fromisoformat(facts["last_review"]) if facts["last_review"] else None
    days = (review_by - today).days if review_by else None
    if days is None:
        state = "no review date"
    elif days < 0:
        state = "overdue"
    elif days <= soon:
        state = "due soon"
    else:
        state = "scheduled"
    return Row(
        name,
        facts["client_id"],
        facts["clinician"],
        facts["payer"],
        review_by,
        days,
        last,
        state,
        facts["reviews"],
    )


def select(rows: list[Row], within: int | None, overdue: bool, clinician: str | None) -> list[Row]:
    out = rows
    if overdue:
        out = [r for r in out if r.state == "overdue"]
    if within is not None:
        out = [r for r in out if r.days_left is not None and r.days_left <= within]
    if clinician:
        out = [r for r in out if clinician.lower() in r.clinician.lower()]
    return out


def _days(row: Row) -> str:
    if row.days_left is None:
        return "-"
    if row.days_left < 0:
        return f"{-row.days_left} overdue"
    return "today" if row.days_left == 0 else f"in {row.days_left}"


HEADERS = ("client", "clinician", "payer", "review by", "days", "last review")


def _cells(row: Row) -> tuple[str, ...]:
    from txplan.outputs.terminal import clean

    return (
        row.client_id,
        clean(row.clinician),
        clean(row.payer),
        row.review_by.isoformat() if row.review_by else "none",
        _days(row),
        row.last_review.isoformat() if row.last_review else "-",
    )


def as_table(rows: list[Row]) -> str:
    table = [HEADERS, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    return (
        "\n".join(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in table
        )
        + "\n"
    )


def print_rich_table(rows: list[Row], out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*HEADERS, box=None, header_style="bold")
    styles = {"overdue": "bold red", "due soon": "yellow"}
    for row in rows:
        table.add_row(*_cells(row), style=styles.get(row.state))
    Console(file=out, force_terminal=True).print(table)


def as_json(rows: list[Row], today: dt.date) -> str:
    return json.dumps(
        {"version": 1, "today": today.isoformat(), "plans": [r.to_json() for r in rows]},
        indent=2,
        ensure_ascii=False,
    )


# A cell a spreadsheet would run as a formula (OWASP, *CSV Injection*; the
# NUL is from OWASP ASVS 1.2.10).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def as_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: the writer quotes a cell holding any character of
    # the line end, so with "\n" alone a CR inside a cell went out bare and a
    # spreadsheet started a new row there, formula and all.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "client_id",
            "clinician",
            "payer",
            "review_by",
            "days_left",
            "last_review",
            "state",
            "file",
        ]
    )
    for r in rows:
        j = r.to_json()
        # days_left stays a number (-3 is three days overdue); text is neutralized.
        writer.writerow(
            [
                _csv_cell(j["client_id"]),
                _csv_cell(j["clinician"]),
                _csv_cell(j["payer"]),
                j["review_by"] or "",
                "" if j["days_left"] is None else j["days_left"],
                j["last_review"] or "",
                _csv_cell(j["state"]),
                _csv_cell(j["file"]),
            ]
        )
    return out.getvalue()


def _ics_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and line breaks
    escaped; other control characters dropped, so no value can end its line
    and start a property of its own."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(ch for ch in value if ch >= " " and ch != "\x7f")


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        piece = ch.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _uid(row: Row) -> str:
    # Stable per plan file, so a re-import moves the event when the review
    # date changes; distinct when two files carry the same client ID.
    import hashlib
    import os

    where = hashlib.sha256(os.path.abspath(row.file).encode("utf-8", "surrogateescape"))
    return f"txplan-review-{row.client_id}-{where.hexdigest()[:12]}@txplan.invalid"


def as_ics(rows: list[Row], today: dt.date, now: dt.datetime | None = None) -> str:
    """One all-day event per review date. The summary names the client ID,
    never the name. DTSTAMP is when the calendar was made (UTC); SEQUENCE
    counts the reviews recorded, each of which moved the date."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    stamp = f"{moment:%Y%m%dT%H%M%SZ}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//txplan//txplan {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for r in rows:
        if r.review_by is None:
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_uid(r)}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{r.reviews}",
            f"DTSTART;VALUE=DATE:{r.review_by:%Y%m%d}",
            # not DTEND: the day after 9999-12-31 does not exist
            "DURATION:P1D",
            f"SUMMARY:{_ics_text(f'Treatment plan review due: {r.client_id}')}",
            f"DESCRIPTION:{_ics_text(f'Review {r.file} with the client, then record it with txplan review.')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def parse_within(text: str) -> int:
    """'30d', '30', '6w' -> days."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", text.lower())
    if not m:
        raise ValueError(text)
    return int(m.group(1)) * (7 if m.group(2) == "w" else 1)


def _with_bar(found: list[tuple[str, Path]]) -> Iterable[tuple[str, Path]]:
    # About 2 ms a plan: a bar from 500 plans, a second or more of waiting.
    from txplan.outputs.progress_bar import tracked

    return tracked(found, "reading plans", at_least=500)
