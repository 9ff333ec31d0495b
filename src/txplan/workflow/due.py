"""`txplan due`: which plans need their review, soonest first; beside the
reviews, the session notes still unsigned and the instruments due again.

Reads only what it needs: each plan's events through the loader (no model,
no rules), so a caseload of a thousand plans takes about a second. What a
plan says is remembered in the cache, keyed on its bytes; the session notes
are read afresh on every run (they are not the plan's bytes), so a note
signed since the last run is never listed again.

Three kinds of row, chosen with `--kind`:

- reviews: one a plan, by its `review_by`;
- notes: each session note not yet signed, by its deadline: the session's
  end plus the payer's limit (`note_limit`), as rule N005 reads it;
- measures: each instrument an open objective is measured by, due
  MEASURE_DAYS after its last score (in the plan's `measures` or in a
  session note's `scores`, dated by the note).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from txplan import __version__
from txplan.plan.discover import each_plan
from txplan.plan.files import cannot_read, read_limited
from txplan.plan.identity import is_client_id
from txplan.settings.reading import ConfigFinder

KINDS = ("reviews", "notes", "measures")
# Notes and measures are asked for (`--kind reviews,notes,measures`): every
# measured plan has an instrument on a cadence, and a folder's unsigned notes
# would add rows to the output `due` has always printed (the README's example).
DEFAULT_KINDS = ("reviews",)
# No plan or helper states how often an instrument is given ("bi-weekly
# administration" is free text), so an instrument is due again this many
# days after its last score.
MEASURE_DAYS = 30
# An objective still being worked on (as `txplan status` reads it).
_OPEN = {None, "not-started", "in-progress"}


def parse_kinds(text: str) -> tuple[str, ...]:
    """'reviews,notes' -> ("reviews", "notes"), in KINDS order; ValueError
    naming the first word that is no kind."""
    words = [w.strip().lower() for w in text.split(",")]
    for word in words:
        if word not in KINDS:
            raise ValueError(word)
    return tuple(k for k in KINDS if k in words)


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
            "kind": "review",
        }


@dataclass(frozen=True)
class NoteRow:
    """A session note not yet signed."""

    file: str
    client_id: str
    clinician: str
    payer: str
    session_date: dt.date | None
    deadline: dt.datetime | None  # the session's end plus the limit
    days_left: int | None  # negative: that many days past the limit
    state: str  # overdue | due soon | no session date
    limit_hours: int

    @property
    def detail(self) -> str:
        if self.deadline is None or self.days_left is None:
            return "unsigned, no session date"
        if self.days_left < 0:
            days = -self.days_left
            return f"unsigned, {days} day{'s' if days != 1 else ''} past the limit"
        return f"unsigned, due by {self.deadline:%Y-%m-%d %H:%M}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "note",
            "file": self.file,
            "client_id": self.client_id,
            "clinician": self.clinician,
            "payer": self.payer,
            "session_date": self.session_date.isoformat() if self.session_date else None,
            "deadline": self.deadline.isoformat(timespec="minutes") if self.deadline else None,
            "limit_hours": self.limit_hours,
            "days_left": self.days_left,
            "state": self.state,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class MeasureRow:
    """An instrument an open objective is measured by, and when it is due again."""

    file: str  # the plan
    client_id: str
    clinician: str
    payer: str
    instrument: str
    last_score: dt.date | None
    due_by: dt.date | None
    days_left: int | None
    state: str  # overdue | due soon | scheduled | no score yet
    # scores recorded so far: each moves the date (the calendar's SEQUENCE)
    scores: int = 0
    cadence_days: int = MEASURE_DAYS

    @property
    def detail(self) -> str:
        every = f"every {self.cadence_days} days"
        if self.last_score is None:
            return f"no score yet; {every}"
        return f"last scored {self.last_score.isoformat()}; {every}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "measure",
            "file": self.file,
            "client_id": self.client_id,
            "clinician": self.clinician,
            "payer": self.payer,
            "instrument": self.instrument,
            "last_score": self.last_score.isoformat() if self.last_score else None,
            "due_by": self.due_by.isoformat() if self.due_by else None,
            "cadence_days": self.cadence_days,
            "days_left": self.days_left,
            "state": self.state,
            "detail": self.detail,
        }


@dataclass
class Due:
    """What one run found: each kind's rows, soonest first, and the plans
    that could not be read."""

    kinds: tuple[str, ...]
    reviews: list[Row] = field(default_factory=list)
    notes: list[NoteRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def states(self) -> list[str]:
        """The state of every row, of every kind."""
        rows: list[Row | NoteRow | MeasureRow] = [*self.reviews, *self.notes, *self.measures]
        return [r.state for r in rows]


# --- when a note is due: the logic of rule N005 (late-note) ---------------------------


def session_moment(day: dt.date, clock: str | None, late: bool) -> dt.datetime:
    """A day and an "HH:MM" as a moment; with no time, the day's end for a
    session (late) and its start for a signature, so an unknown hour never
    makes a note look late (as N005 reads them)."""
    if clock is None:
        return dt.datetime.combine(day, dt.time(23, 59) if late else dt.time(0, 0))
    hours, mins = clock.split(":")
    return dt.datetime.combine(day, dt.time(int(hours), int(mins)))


def note_deadline(note: Any, hours: int) -> dt.datetime | None:
    """When `note` (a txplan.plan.notes.model.Note) is to be signed: the
    session's end (its start, else 23:59) plus `hours`; None without a date."""
    if note.date is None:
        return None
    try:
        return session_moment(note.date, note.end or note.start, late=True) + dt.timedelta(
            hours=hours
        )
    except OverflowError:
        return None


def past_limit(deadline: dt.datetime, today: dt.date) -> bool:
    """Whether a note unsigned on `today` is past its deadline (N005: as of
    the start of the day)."""
    return dt.datetime.combine(today, dt.time(0, 0)) > deadline


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
    be read (`collect_all` for the notes and measures too)."""
    found = collect_all(paths, today, config_override, use_cache, ("reviews",))
    return found.reviews, found.problems


def collect_all(
    paths: Iterable[str],
    today: dt.date,
    config_override: str | None = None,
    use_cache: bool = True,
    kinds: tuple[str, ...] = DEFAULT_KINDS,
    cache_dir: Path | None = None,
) -> Due:
    """Each kind's rows, soonest first, and the plans that could not be
    read. What each plan says (its ID, dates, clinician, instruments) is
    remembered in the cache beside lint's, keyed by its text, so an
    unchanged caseload is not parsed again; the date, the settings and the
    session notes are applied on every run."""
    from txplan.plan.loader import load_bytes
    from txplan.workflow import cache

    finder = ConfigFinder(Path(config_override) if config_override else None)
    caches = cache.Caches(cache.EntryCache, "due.json", cache_dir)
    out = Due(kinds)
    read: list[tuple[str, Path, Any, dict[str, Any]]] = []
    stats: dict[str, os.stat_result] = {}
    for name, path in each_plan(paths, out.problems, _with_bar, stats if use_cache else None):
        config = finder.for_file(path)

        def made(raw: bytes, name: str = name) -> dict[str, Any]:
            return plan_facts(name, load_bytes(raw).data)

        try:
            if use_cache:
                facts = cache.remembered_or_made(
                    caches.for_plan(config, path),
                    path,
                    stats.get(os.fspath(path)),
                    functools.partial(cache.facts_key, "due", name),
                    checked_facts,
                    made,
                    lambda facts: facts,
                )
            else:
                facts = made(read_limited(path))
        except OSError as exc:
            out.problems.append(cannot_read(name, exc))
            continue
        if "problem" in facts:
            out.problems.append(facts["problem"])
        else:
            read.append((name, path, config, facts))
    caches.save()
    return listed(out, read, today, finder)


def listed(
    out: Due,
    read: list[tuple[str, Path, Any, dict[str, Any]]],
    today: dt.date,
    finder: ConfigFinder,
) -> Due:
    """`out` with the rows of its kinds, from each plan's (name, path, settings,
    plan_facts), soonest first."""
    if "reviews" in out.kinds:
        out.reviews = [_row(n, facts, today, c.due_soon_days) for n, _, c, facts in read]
        out.reviews.sort(
            key=lambda r: (r.review_by is None, r.review_by or dt.date.max, r.client_id)
        )
    if "notes" in out.kinds or "measures" in out.kinds:
        notes = _Notes(finder)
        if "notes" in out.kinds:
            out.notes = _note_rows(read, notes, today)
        if "measures" in out.kinds:
            out.measures = _measure_rows(read, notes, today)
    return out


class _Notes:
    """The session notes of each plans folder, read once a run."""

    def __init__(self, finder: ConfigFinder) -> None:
        from txplan.workflow.status import FolderNotes

        self.finder = finder
        self._folders = FolderNotes()

    def of(self, plan: Path, config: Any, client: str) -> list[Any]:
        """The NoteEntry list of `client` in the plans folder of `plan`, oldest first."""
        return self._folders.entries(self._folders.folder_of(plan, config), client)


def _shown_name(name: str) -> str:
    """A note's file as a person would write it: relative to here when it
    lies below, else as found."""
    try:
        relative = os.path.relpath(name)
    except ValueError:
        return name
    return name if relative.startswith("..") else relative


def _note_rows(
    read: list[tuple[str, Path, Any, dict[str, Any]]], notes: _Notes, today: dt.date
) -> list[NoteRow]:
    """Each unsigned note of the clients of the plans read, once each."""
    rows: list[NoteRow] = []
    seen: set[str] = set()
    for _name, path, config, facts in read:
        for entry in notes.of(path, config, facts["client_id"]):
            note = entry.note
            where = os.path.abspath(entry.path)
            if where in seen:
                continue
            seen.add(where)
            if note.signed is not None and note.signed.date is not None:
                continue  # signed: whether late is lint's to say (N005)
            hours, _ = notes.finder.for_file(entry.path).note_limit(facts["payer"] or None)
            deadline = note_deadline(note, hours)
            if deadline is None:
                days, state = None, "no session date"
            else:
                days = (deadline.date() - today).days
                state = "overdue" if past_limit(deadline, today) else "due soon"
            rows.append(
                NoteRow(
                    _shown_name(entry.name),
                    note.client,
                    facts["clinician"],
                    facts["payer"],
                    note.date,
                    deadline,
                    days,
                    state,
                    hours,
                )
            )
    rows.sort(
        key=lambda r: (r.deadline is None, r.deadline or dt.datetime.max, r.client_id, r.file)
    )
    return rows


def _measure_rows(
    read: list[tuple[str, Path, Any, dict[str, Any]]], notes: _Notes, today: dt.date
) -> list[MeasureRow]:
    """Each instrument of each plan's open objectives, due MEASURE_DAYS after its last score."""
    from txplan.clinical import instruments

    rows: list[MeasureRow] = []
    for name, path, config, facts in read:
        wanted: list[str] = []
        for text in facts["instruments"]:
            found = instruments.find(text, config)
            # an instrument txplan does not know is lint's to report (S-rules)
            if found is not None and found.name not in wanted:
                wanted.append(found.name)
        if not wanted:
            continue
        dates: dict[str, list[dt.date]] = {n: [] for n in wanted}
        scored = [(text, dt.date.fromisoformat(day)) for text, day in facts["scores"]]
        for entry in notes.of(path, config, facts["client_id"]):
            note = entry.note
            if note.date is None:
                continue
            scored += [
                (s.instrument, note.date)
                for s in note.scores
                if s.instrument and s.score is not None
            ]
        for text, day in scored:
            found = instruments.find(text, config)
            if found is not None and found.name in dates:
                dates[found.name].append(day)
        written = dt.date.fromisoformat(facts["written"]) if facts["written"] else None
        for instrument in wanted:
            last = max(dates[instrument], default=None)
            due_by = _plus_days(last or written, MEASURE_DAYS)
            days = (due_by - today).days if due_by else None
            if days is None:
                state = "no score yet"
            elif days < 0:
                state = "overdue"
            elif days <= config.due_soon_days:
                state = "due soon"
            else:
                state = "scheduled"
            rows.append(
                MeasureRow(
                    name,
                    facts["client_id"],
                    facts["clinician"],
                    facts["payer"],
                    instrument,
                    last,
                    due_by,
                    days,
                    state,
                    len(dates[instrument]),
                )
            )
    rows.sort(key=lambda r: (r.due_by is None, r.due_by or dt.date.max, r.client_id, r.instrument))
    return rows


def _plus_days(day: dt.date | None, days: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def plan_facts(name: str, data: Any) -> dict[str, Any]:
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
    written = _date(data.get("written"))
    return {
        "client_id": client_id,
        "clinician": _text(clinician.get("name")) if isinstance(clinician, dict) else "",
        "payer": _text(client.get("payer")),
        "review_by": review_by.isoformat() if review_by else None,
        "last_review": last.isoformat() if last else None,
        "reviews": len(reviews) if isinstance(reviews, list) else 0,
        "written": written.isoformat() if written else None,
        "instruments": _instruments(data),
        "scores": _scores(data),
    }


def _dicts(value: Any) -> list[dict[Any, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _instruments(data: dict[str, Any]) -> list[str]:
    """The instruments the plan's open objectives are measured by, as written."""
    out: list[str] = []
    for goal in _dicts(data.get("goals")):
        for objective in _dicts(goal.get("objectives")):
            measure = objective.get("measure")
            status = objective.get("status")
            if not isinstance(measure, dict) or (status is not None and status not in _OPEN):
                continue
            instrument = measure.get("instrument")
            if isinstance(instrument, str) and instrument.strip() and instrument not in out:
                out.append(instrument)
    return out


def _scores(data: dict[str, Any]) -> list[list[str]]:
    """[instrument, date] of each score in the plan's `measures`."""
    out: list[list[str]] = []
    for measure in _dicts(data.get("measures")):
        instrument, day, score = (
            measure.get("instrument"),
            _date(measure.get("date")),
            measure.get("score"),
        )
        scored = isinstance(score, int | float) and not isinstance(score, bool)
        if isinstance(instrument, str) and instrument.strip() and day and scored:
            out.append([instrument, day.isoformat()])
    return out


def checked_facts(stored: Any) -> dict[str, Any] | None:
    """Facts read back from the cache, or None if they do not hold together."""
    if not isinstance(stored, dict):
        return None
    if set(stored) == {"problem"}:
        return stored if isinstance(stored["problem"], str) else None
    texts = ("client_id", "clinician", "payer")
    dates = ("review_by", "last_review", "written")
    try:
        if set(stored) != {*texts, *dates, "reviews", "instruments", "scores"}:
            return None
        if not all(type(stored[k]) is str for k in texts) or type(stored["reviews"]) is not int:
            return None
        for k in dates:
            if stored[k] is not None:
                dt.date.fromisoformat(stored[k])
        if type(stored["instruments"]) is not list or type(stored["scores"]) is not list:
            return None
        if not all(type(i) is str for i in stored["instruments"]):
            return None
        for pair in stored["scores"]:
            if type(pair) is not list or len(pair) != 2 or not all(type(x) is str for x in pair):
                return None
            dt.date.fromisoformat(pair[1])
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


AnyRow = TypeVar("AnyRow", Row, NoteRow, MeasureRow)


def select(
    rows: list[AnyRow], within: int | None, overdue: bool, clinician: str | None
) -> list[AnyRow]:
    out = rows
    if overdue:
        out = [r for r in out if r.state == "overdue"]
    if within is not None:
        out = [r for r in out if r.days_left is not None and r.days_left <= within]
    if clinician:
        out = [r for r in out if clinician.lower() in r.clinician.lower()]
    return out


def select_all(found: Due, within: int | None, overdue: bool, clinician: str | None) -> Due:
    """`found` with `select` applied to each kind's rows."""
    return Due(
        found.kinds,
        select(found.reviews, within, overdue, clinician),
        select(found.notes, within, overdue, clinician),
        select(found.measures, within, overdue, clinician),
        found.problems,
    )


def _days(row: Row | NoteRow | MeasureRow) -> str:
    if row.days_left is None:
        return "-"
    if row.days_left < 0:
        return f"{-row.days_left} overdue"
    return "today" if row.days_left == 0 else f"in {row.days_left}"


HEADERS = ("client", "clinician", "payer", "review by", "days", "last review")
NOTE_HEADERS = ("client", "clinician", "note", "session", "status")
MEASURE_HEADERS = ("client", "clinician", "instrument", "last score", "due by", "days")


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


def _note_cells(row: NoteRow) -> tuple[str, ...]:
    from txplan.outputs.terminal import clean

    return (
        row.client_id,
        clean(row.clinician),
        clean(os.path.basename(row.file)),
        row.session_date.isoformat() if row.session_date else "none",
        row.detail,
    )


def _measure_cells(row: MeasureRow) -> tuple[str, ...]:
    from txplan.outputs.terminal import clean

    return (
        row.client_id,
        clean(row.clinician),
        clean(row.instrument),
        row.last_score.isoformat() if row.last_score else "none",
        row.due_by.isoformat() if row.due_by else "-",
        _days(row),
    )


def _plain(headers: tuple[str, ...], cells: list[tuple[str, ...]]) -> str:
    table = [headers, *cells]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    return (
        "\n".join(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in table
        )
        + "\n"
    )


NOTES_TITLE = "Session notes to sign:"
MEASURES_TITLE = f"Measures to give (each instrument every {MEASURE_DAYS} days):"


def _sections(
    rows: list[Row] | None, notes: list[NoteRow] | None, measures: list[MeasureRow] | None
) -> list[tuple[str, tuple[str, ...], list[tuple[str, ...]], list[str]]]:
    """(title, headers, cells, states) of each table shown: the reviews' when
    asked for (even empty), the notes' and measures' when they have rows."""
    out: list[tuple[str, tuple[str, ...], list[tuple[str, ...]], list[str]]] = []
    if rows is not None:
        out.append(("", HEADERS, [_cells(r) for r in rows], [r.state for r in rows]))
    if notes:
        out.append(
            (NOTES_TITLE, NOTE_HEADERS, [_note_cells(r) for r in notes], [r.state for r in notes])
        )
    if measures:
        out.append(
            (
                MEASURES_TITLE,
                MEASURE_HEADERS,
                [_measure_cells(r) for r in measures],
                [r.state for r in measures],
            )
        )
    return out


def as_table(
    rows: list[Row] | None,
    notes: list[NoteRow] | None = None,
    measures: list[MeasureRow] | None = None,
) -> str:
    parts = []
    for title, headers, cells, _ in _sections(rows, notes, measures):
        text = _plain(headers, cells)
        parts.append(f"{title}\n{text}" if title else text)
    return "\n".join(parts)


def print_rich_table(
    rows: list[Row] | None,
    out: Any,
    notes: list[NoteRow] | None = None,
    measures: list[MeasureRow] | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, force_terminal=True)
    styles = {"overdue": "bold red", "due soon": "yellow"}
    for n, (title, headers, cells, states) in enumerate(_sections(rows, notes, measures)):
        if n:
            console.print()
        if title:
            console.print(title, markup=False, highlight=False)
        table = Table(box=None, header_style="bold")
        for header in headers:
            # a file name folds onto the next line rather than lose its end
            table.add_column(header, overflow="fold")
        for line, state in zip(cells, states, strict=True):
            table.add_row(*line, style=styles.get(state))
        console.print(table)


def summary(
    rows: list[Row] | None,
    all_rows: int,
    notes: list[NoteRow] | None = None,
    all_notes: int = 0,
    measures: list[MeasureRow] | None = None,
    all_measures: int = 0,
) -> str:
    """The table's last line: what is shown of what was found, and how much is overdue."""
    parts = []
    if rows is not None:
        late = sum(r.state == "overdue" for r in rows)
        parts.append(f"{len(rows)} of {all_rows} plans shown; {late} overdue.")
    if notes is not None and (all_notes or rows is None):
        late = sum(r.state == "overdue" for r in notes)
        noun = "note" if all_notes == 1 else "notes"
        parts.append(f"{len(notes)} of {all_notes} unsigned {noun} shown; {late} past the limit.")
    if measures is not None:
        late = sum(r.state == "overdue" for r in measures)
        noun = "measure" if all_measures == 1 else "measures"
        parts.append(f"{len(measures)} of {all_measures} {noun} shown; {late} overdue.")
    return " ".join(parts)


def as_json(
    rows: list[Row],
    today: dt.date,
    notes: list[NoteRow] | None = None,
    measures: list[MeasureRow] | None = None,
) -> str:
    """Version 1: `plans` holds the review rows (always present, empty when
    reviews were not asked for); `notes` and `measures` are there when asked for.
    Every row names its `kind`."""
    data: dict[str, Any] = {
        "version": 1,
        "today": today.isoformat(),
        "plans": [r.to_json() for r in rows],
    }
    if notes is not None:
        data["notes"] = [r.to_json() for r in notes]
    if measures is not None:
        data["measures"] = [r.to_json() for r in measures]
    from txplan.outputs import jsontext

    return jsontext.dumps(data)


# A cell a spreadsheet would run as a formula (OWASP, *CSV Injection*; the
# NUL is from OWASP ASVS 1.2.10).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


CSV_HEADER = (
    "client_id",
    "clinician",
    "payer",
    "review_by",
    "days_left",
    "last_review",
    "state",
    "file",
    # added with the notes and measures: the first eight columns keep their places
    "kind",
    "item",
    "due_by",
    "detail",
)


def as_csv(
    rows: list[Row],
    notes: list[NoteRow] | None = None,
    measures: list[MeasureRow] | None = None,
) -> str:
    """One row an item: reviews, then notes, then measures. A note's `item`
    is its file's name and `due_by` the moment to sign it by; a measure's
    `item` is the instrument."""
    out = io.StringIO()
    # RFC 4180 line ends: the writer quotes a cell holding any character of
    # the line end, so with "\n" alone a CR inside a cell went out bare and a
    # spreadsheet started a new row there, formula and all.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)

    def line(j: dict[str, Any], review_by: str, last: str, item: str, due_by: str) -> None:
        # days_left stays a number (-3 is three days overdue); text is neutralized.
        writer.writerow(
            [
                _csv_cell(j["client_id"]),
                _csv_cell(j["clinician"]),
                _csv_cell(j["payer"]),
                review_by,
                "" if j["days_left"] is None else j["days_left"],
                last,
                _csv_cell(j["state"]),
                _csv_cell(j["file"]),
                j["kind"],
                _csv_cell(item),
                due_by,
                _csv_cell(j.get("detail", "")),
            ]
        )

    for r in rows:
        j = r.to_json()
        line(j, j["review_by"] or "", j["last_review"] or "", "", j["review_by"] or "")
    for n in notes or []:
        due_by = f"{n.deadline:%Y-%m-%d %H:%M}" if n.deadline else ""
        line(n.to_json(), "", "", os.path.basename(n.file), due_by)
    for m in measures or []:
        j = m.to_json()
        line(j, "", "", m.instrument, j["due_by"] or "")
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


def _where(file: str, *more: str) -> str:
    import hashlib

    where = hashlib.sha256(os.path.abspath(file).encode("utf-8", "surrogateescape"))
    for part in more:
        where.update(b"\0" + part.encode("utf-8", "surrogateescape"))
    return where.hexdigest()[:12]


def _uid(row: Row) -> str:
    # Stable per plan file, so a re-import moves the event when the review
    # date changes; distinct when two files carry the same client ID.
    return f"txplan-review-{row.client_id}-{_where(row.file)}@txplan.invalid"


def _event(
    uid: str, stamp: str, sequence: int, day: dt.date, summary: str, description: str
) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        # not DTEND: the day after 9999-12-31 does not exist
        "DURATION:P1D",
        f"SUMMARY:{_ics_text(summary)}",
        f"DESCRIPTION:{_ics_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def as_ics(
    rows: list[Row],
    today: dt.date,
    now: dt.datetime | None = None,
    notes: list[NoteRow] | None = None,
    measures: list[MeasureRow] | None = None,
) -> str:
    """One all-day event per review date, per unsigned note's deadline and
    per measure's due date. The summary names the client ID, never the
    name. DTSTAMP is when the calendar was made (UTC); SEQUENCE counts the
    reviews (or scores) recorded, each of which moved the date."""
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
        lines += _event(
            _uid(r),
            stamp,
            r.reviews,
            r.review_by,
            f"Treatment plan review due: {r.client_id}",
            f"Review {r.file} with the client, then record it with txplan review.",
        )
    for n in notes or []:
        if n.deadline is None:
            continue
        lines += _event(
            f"txplan-note-{n.client_id}-{_where(n.file)}@txplan.invalid",
            stamp,
            0,
            n.deadline.date(),
            f"Session note to sign: {n.client_id}",
            f"Sign {n.file} (session {n.session_date}) by {n.deadline:%Y-%m-%d %H:%M}.",
        )
    for m in measures or []:
        if m.due_by is None:
            continue
        lines += _event(
            f"txplan-measure-{m.client_id}-{_where(m.file, m.instrument)}@txplan.invalid",
            stamp,
            m.scores,
            m.due_by,
            f"{m.instrument} due: {m.client_id}",
            f"Give the {m.instrument} and record it with txplan measure ({m.file}).",
        )
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
