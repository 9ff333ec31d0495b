"""How far each measured objective has come, and whether that is on track.

An objective with an instrument and a target compares its latest score with
its baseline (`measure.baseline`, else the first score recorded) and target.
"On track" means the share of the change achieved is no more than
ON_TRACK_SLACK behind the share of the time (from `written` to the
objective's `target_date`) that has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from txplan.clinical import instruments
from txplan.clinical.instruments import Instrument
from txplan.config import Config
from txplan.plan.model import Objective, Plan

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


def scores_for(plan: Plan, instrument: Instrument, config: Config) -> list[tuple[dt.date, float]]:
    return sorted(
        (m.date, m.score)
        for m in plan.measures
        if m.instrument
        and m.date
        and m.score is not None
        and instruments.find(m.instrument, config) == instrument
    )


def plan_progress(plan: Plan, config: Config, today: dt.date) -> list[Progress]:
    out = []
    for goal in plan.goals:
        for objective in goal.objectives:
            measure = objective.measure
            if not (measure and measure.instrument and measure.target is not None):
                continue
            instrument = instruments.find(measure.instrument, config)
            if instrument is None:
                continue
            scores = scores_for(plan, instrument, config)
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
