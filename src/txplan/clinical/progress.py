"""How far each measured objective has come, and whether that is on track.

An objective with an instrument and a target compares its latest score with
its baseline (`measure.baseline`, else the first score recorded) and target.
"On track" means the share of the change achieved is no more than
ON_TRACK_SLACK behind the share of the time (from `written` to the
objective's `target_date`) that has passed.

Session notes' `scores` count beside the plan's `measures`, each dated the
note's date; a score written in both places (same instrument, date and
score) is one point, not two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from txplan.clinical import instruments
from txplan.clinical.instruments import Instrument
from txplan.config import Config
from txplan.plan.model import Goal, Objective, Plan

if TYPE_CHECKING:
    from txplan.plan.notes.model import Note

# Progress is uneven week to week; a quarter of the way behind is "behind".
ON_TRACK_SLACK = 0.25
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Progress:
    goal_id: str
    objective: Objective
    instrument: Instrument
    baseline: float | None
    target: float
    scores: tuple[tuple[dt.date, float], ...]  # in date order
    done: float | None  # share of the change achieved (1.0 = target reached)
    elapsed: float | None  # share of the time to the target date passed
    state: str  # met | on track | behind | stale | no score yet

    @property
    def latest(self) -> float | None:
        return self.scores[-1][1] if self.scores else None

    def sparkline(self) -> str:
        """Scores over time on the instrument's range, higher bar = higher score."""
        span = (self.instrument.high - self.instrument.low) or 1
        return "".join(
            SPARK[min(len(SPARK) - 1, int((s - self.instrument.low) / span * len(SPARK)))]
            for _, s in self.scores
        )


def scores_for(
    plan: Plan, instrument: Instrument, config: Config, notes: Sequence[Note] = ()
) -> list[tuple[dt.date, float]]:
    """The instrument's scores in date order: the plan's `measures`, then each
    dated note's scores that the plan does not already hold."""
    own = [
        (m.date, m.score)
        for m in plan.measures
        if m.instrument
        and m.date
        and m.score is not None
        and instruments.find(m.instrument, config) == instrument
    ]
    seen = set(own)
    for note in notes:
        if note.date is None:
            continue
        for s in note.scores:
            if s.score is None or not s.instrument:
                continue
            point = (note.date, s.score)
            if point not in seen and instruments.find(s.instrument, config) == instrument:
                seen.add(point)
                own.append(point)
    return sorted(own)


def measured_instruments(
    plan: Plan, config: Config, notes: Sequence[Note] = ()
) -> list[Instrument]:
    """Each known instrument scored in `measures` or a note, in first-seen order."""
    out: list[Instrument] = []
    named = [m.instrument for m in plan.measures]
    named += [s.instrument for note in notes for s in note.scores]
    for name in named:
        found = instruments.find(name or "", config)
        if found is not None and found not in out:
            out.append(found)
    return out


def plan_progress(
    plan: Plan, config: Config, today: dt.date, notes: Sequence[Note] = ()
) -> list[Progress]:
    out = []
    for goal in plan.goals:
        for objective in goal.objectives:
            measure = objective.measure
            if not (measure and measure.instrument and measure.target is not None):
                continue
            instrument = instruments.find(measure.instrument, config)
            if instrument is None:
                continue
            scores = scores_for(plan, instrument, config, notes)
            baseline = (
                measure.baseline
                if measure.baseline is not None
                else (scores[0][1] if scores else None)
            )
            out.append(
                _assess(
                    goal.id or "",
                    objective,
                    instrument,
                    baseline,
                    measure.target,
                    tuple(scores),
                    plan.written,
                    today,
                )
            )
    return out


def _assess(
    goal_id: str,
    objective: Objective,
    instrument: Instrument,
    baseline: float | None,
    target: float,
    scores: tuple[tuple[dt.date, float], ...],
    written: dt.date | None,
    today: dt.date,
) -> Progress:
    latest = scores[-1][1] if scores else None
    done = None
    if latest is not None and baseline is not None:
        change = target - baseline
        done = 1.0 if change == 0 else (latest - baseline) / change
    elapsed = None
    due = objective.target_date
    if written and due and due > written:
        elapsed = min(1.0, max(0.0, (today - written).days / (due - written).days))
    reached = latest is not None and (
        latest <= target if instrument.lower_is_better else latest >= target
    )
    new_scores = [s for d, s in scores if written is None or d > written]
    if reached:
        state = "met"
    elif due and due < today:
        state = "stale"
    elif done is None or not new_scores:
        state = "no score yet"
    elif elapsed is not None and done < elapsed - ON_TRACK_SLACK:
        state = "behind"
    else:
        state = "on track"
    return Progress(goal_id, objective, instrument, baseline, target, scores, done, elapsed, state)


def describe(p: Progress) -> str:
    """One line: `O1.1 GAD-7 15 → 12 (target 9): 50% of the way, 61% of the time: on track`."""
    name = p.objective.id or "objective"
    latest = "no score" if p.latest is None else f"{p.latest:g}"
    baseline = "?" if p.baseline is None else f"{p.baseline:g}"
    line = f"{name} {p.instrument.name} {baseline} → {latest} (target {p.target:g})"
    if p.done is not None:
        line += f": {max(0, p.done) * 100:.0f}% of the way"  # max(0, -0.0) is 0, not -0
        if p.elapsed is not None:
            line += f", {p.elapsed * 100:.0f}% of the time"
    return f"{line}: {p.state}"


# --- since the last review ----------------------------------------------------------


@dataclass
class Addressed:
    """How the notes in a window took up one objective."""

    count: int = 0
    latest: str = ""  # the latest progress written for it, on one line
    latest_date: dt.date | None = None


@dataclass(frozen=True)
class ScoreChange:
    instrument: str
    before: float | None  # the last score on or before the window's start
    scores: tuple[tuple[dt.date, float], ...]  # the scores in the window

    def text(self) -> str:
        """`GAD-7 15 → 11`; `PHQ-9 17` for a single score with none before."""
        values = [s for _, s in self.scores]
        first = self.before if self.before is not None else values[0]
        if self.before is None and len(values) == 1:
            return f"{self.instrument} {first:g}"
        return f"{self.instrument} {first:g} → {values[-1]:g}"


@dataclass(frozen=True)
class SinceReview:
    """The session notes dated after `since` and up to `until`, as a review reads them."""

    since: dt.date
    until: dt.date
    notes: int
    addressed: dict[str, Addressed] = field(default_factory=dict)
    scores: dict[str, ScoreChange] = field(default_factory=dict)  # by instrument name

    def goal_scores(self, goal: Goal, config: Config) -> list[ScoreChange]:
        """The score changes of the instruments the goal's objectives are measured by."""
        names: list[str] = []
        for objective in goal.objectives:
            measure = objective.measure
            found = instruments.find(measure.instrument or "", config) if measure else None
            if found is not None and found.name in self.scores and found.name not in names:
                names.append(found.name)
        return [self.scores[name] for name in names]


def last_review(plan: Plan) -> dt.date | None:
    """The last review's date, else the date the plan was written."""
    dates = [r.date for r in plan.reviews if r.date]
    return max(dates) if dates else plan.written


def since_review(
    plan: Plan, notes: Sequence[Note], config: Config, since: dt.date, until: dt.date
) -> SinceReview:
    """What the notes dated after `since` (to `until`) show, objective by
    objective, and how each instrument's score moved in that time."""
    window = [n for n in notes if n.date and since < n.date <= until]
    window.sort(key=lambda n: (n.date, n.start or ""))
    addressed: dict[str, Addressed] = {}
    for note in window:
        for cited in note.objectives:
            if not cited.id:
                continue
            seen = addressed.setdefault(cited.id, Addressed())
            seen.count += 1
            text = " ".join((cited.progress or "").split())
            if text:
                seen.latest, seen.latest_date = text, note.date
    scores: dict[str, ScoreChange] = {}
    for instrument in measured_instruments(plan, config, window):
        every = scores_for(plan, instrument, config, notes)
        inside = tuple((d, s) for d, s in every if since < d <= until)
        before = [s for d, s in every if d <= since]
        if inside:
            scores[instrument.name] = ScoreChange(
                instrument.name, before[-1] if before else None, inside
            )
    return SinceReview(since, until, len(window), addressed, scores)
