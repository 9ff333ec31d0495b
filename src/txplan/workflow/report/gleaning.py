"""What `txplan report` takes from each plan while lint has it read
(txplan.workflow.lint's Gleaner): `due`'s facts of the plan, and the plan's
own for the report (objectives' states, first and latest scores, each
session note's signature). Kept in lint's cache beside the plan's result."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from txplan.config import Config
from txplan.settings.reading import ConfigFinder

# A note's signature, as N005 reads it.
ON_TIME, LATE, UNSIGNED_LATE, UNSIGNED, UNDATED = (
    "on time",
    "late",
    "unsigned, past the limit",
    "unsigned, within the limit",
    "no session date",
)


@dataclass(frozen=True)
class PlanFacts:
    """What one plan contributes to the report."""

    file: str
    client_id: str
    clinician: str
    payer: str
    objectives: dict[str, int]  # state (as status says) -> objectives with a target
    # per instrument: [name, first score, latest score, scores, first date, latest date]
    scores: list[list[Any]]
    notes: list[list[Any]]  # per note: [file, session date or None, signature state]


class ReportGleaner:
    """Glean `[due's plan_facts, PlanFacts or None]` from each plan."""

    def __init__(self, finder: ConfigFinder) -> None:
        from txplan.workflow.status import FolderNotes

        self.finder = finder
        self.notes = FolderNotes()
        self._keys: dict[tuple[str, int], str] = {}

    def key(self, path: Path, config: Config) -> str:
        # The notes (by their names, sizes and times), and the working folder
        # the note files are named from; the same for every plan of a folder.
        known = (os.path.dirname(os.fspath(path)), id(config))
        if known not in self._keys:
            folder = self.notes.folder_of(path, config)
            self._keys[known] = f"report 1\0{self.notes.stamp(folder)}\0{os.getcwd()}"
        return self._keys[known]

    def glean(
        self, name: str, path: Path, loaded: Any, plan: Any, config: Config, today: dt.date
    ) -> Any:
        from txplan.workflow.due import plan_facts

        facts = None
        if plan is not None:
            folder = self.notes.folder_of(path, config)
            entries = self.notes.entries(folder, plan.client.id)
            facts = _encode(_facts(name, plan, config, today, self.finder, entries))
        return [plan_facts(name, loaded.data), facts]

    def checked(self, stored: Any) -> Any:
        from txplan.workflow.due import checked_facts

        if type(stored) is not list or len(stored) != 2:
            return None
        due_facts, facts = stored
        if checked_facts(due_facts) is None:
            return None
        if facts is not None and _decode(facts) is None:
            return None
        return stored


def unpacked(gleaned: Any) -> tuple[dict[str, Any], PlanFacts | None]:
    """A gleaned value (as `glean` made it, or as `checked` passed it) as
    due's facts and the plan's."""
    due_facts, facts = gleaned
    # Checked already when read from the cache; made by `glean` otherwise.
    return due_facts, None if facts is None else PlanFacts(*facts)


def _facts(
    name: str, plan: Any, config: Config, today: dt.date, finder: ConfigFinder, entries: Any
) -> PlanFacts:
    """The plan's facts as of `today`; `entries`, its client's session notes."""
    from txplan.clinical import progress

    models = [entry.note for entry in entries]
    states = Counter(p.state for p in progress.plan_progress(plan, config, today, models))
    scores = []
    for instrument in progress.measured_instruments(plan, config, models):
        series = progress.scores_for(plan, instrument, config, models)
        if series:
            first, latest = series[0], series[-1]
            scores.append(
                [
                    instrument.name,
                    first[1],
                    latest[1],
                    len(series),
                    first[0].isoformat(),
                    latest[0].isoformat(),
                ]
            )
    payer = plan.client.payer or ""
    notes = []
    for entry in entries:
        hours, _ = finder.for_file(entry.path).note_limit(payer or None)
        when = entry.note.date.isoformat() if entry.note.date else None
        notes.append([os.fspath(entry.path), when, signature_state(entry.note, hours, today)])
    who = plan.clinician.name if plan.clinician and plan.clinician.name else ""
    return PlanFacts(name, plan.client.id, who, payer, dict(states), scores, notes)


def signature_state(note: Any, hours: int, today: dt.date) -> str:
    """A note's signature against its limit, as rule N005 reads them."""
    from txplan.workflow.due import note_deadline, past_limit, session_moment

    deadline = note_deadline(note, hours)
    if deadline is None:
        return UNDATED
    signed = note.signed.date if note.signed else None
    if signed is not None:
        late = session_moment(signed, note.signed.time, late=False) > deadline
        return LATE if late else ON_TIME
    return UNSIGNED_LATE if past_limit(deadline, today) else UNSIGNED


def _encode(found: PlanFacts) -> Any:
    return [
        found.file,
        found.client_id,
        found.clinician,
        found.payer,
        found.objectives,
        found.scores,
        found.notes,
    ]


def _decode(stored: Any) -> PlanFacts | None:
    """What a cache entry holds, or None if it does not hold together."""
    if type(stored) is not list or len(stored) != 7:
        return None
    file, client_id, who, payer, objectives, scores, notes = stored
    texts = (file, client_id, who, payer)
    if any(type(x) is not str for x in texts) or type(objectives) is not dict:
        return None
    if any(type(k) is not str or type(v) is not int for k, v in objectives.items()):
        return None
    if type(scores) is not list or not all(_score_row(row) for row in scores):
        return None
    if type(notes) is not list or not all(_note_row(row) for row in notes):
        return None
    return PlanFacts(file, client_id, who, payer, objectives, scores, notes)


def _score_row(row: Any) -> bool:
    if type(row) is not list or len(row) != 6:
        return False
    name, first, latest, count, since, until = row
    numbers = all(type(x) in (int, float) for x in (first, latest))
    return numbers and type(name) is str and type(count) is int and _iso(since) and _iso(until)


def _note_row(row: Any) -> bool:
    if type(row) is not list or len(row) != 3:
        return False
    file, when, state = row
    return (
        type(file) is str
        and (when is None or _iso(when))
        and state in (ON_TIME, LATE, UNSIGNED_LATE, UNSIGNED, UNDATED)
    )


def _iso(value: Any) -> bool:
    if type(value) is not str:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
