"""E: the seven elements every treatment plan needs: diagnosis, problem
statements, goals, objectives, interventions, frequency and duration, and a
review date (TheraFocus, *How to write treatment plans*, "The Seven Essential Elements")."""

from __future__ import annotations

from collections.abc import Iterator

from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext


@rule("E001", "missing-diagnosis", "error")
def missing_diagnosis(ctx: PlanContext) -> Iterator[Hit]:
    """The plan has no diagnosis.

    Why:
    Payers reimburse for a covered diagnosis; the diagnosis is where medical
    necessity starts and what every goal must lead back to.

    Fails:
    diagnoses: []

    Passes:
    diagnoses:
      - {code: F41.1, name: Generalized anxiety disorder, role: primary}
    """
    if not ctx.plan.diagnoses:
        yield (
            ("diagnoses",),
            (
                "The plan has no diagnosis. Add one under `diagnoses:` with its ICD-10-CM code, "
                "name and `role: primary`, e.g. `- {code: F41.1, name: Generalized anxiety "
                "disorder, role: primary}`."
            ),
        )


@rule("E002", "missing-problem", "error")
def missing_problem(ctx: PlanContext) -> Iterator[Hit]:
    """The plan has no problem statement, or a problem without a statement.

    Why:
    The problem statement says what brings the client to treatment in
    observable terms; goals and objectives are measured against it.

    Fails:
    problems: []

    Passes:
    problems:
      - id: P1
        statement: Panic attacks 3-4 times per week; avoids driving.
        diagnoses: [F41.0]
    """
    if not ctx.plan.problems:
        yield (
            ("problems",),
            (
                "The plan has no problem statement. Add one under `problems:` with an id, what "
                "the client experiences in observable terms and the diagnosis it belongs to."
            ),
        )
    for i, problem in enumerate(ctx.plan.problems):
        if not (problem.statement or "").strip():
            yield (
                ("problems", i, "statement"),
                (
                    f"Problem {problem.id or i + 1} has no statement. Describe what the client "
                    "experiences and how often (e.g. 'panic attacks 3-4 times per week')."
                ),
            )


@rule("E003", "missing-goal", "error")
def missing_goal(ctx: PlanContext) -> Iterator[Hit]:
    """The plan has no goal.

    Why:
    Goals are the big-picture changes treatment works toward; a plan with no
    goal cannot show progress or medical necessity.

    Fails:
    goals: []

    Passes:
    goals:
      - id: G1
        problems: [P1]
        statement: Reduce panic symptoms and return to driving.
        objectives: [...]
    """
    if not ctx.plan.goals:
        yield (
            ("goals",),
            (
                "The plan has no goal. Add one under `goals:` with an id, the problems it "
                "addresses, a statement and the client's own words."
            ),
        )


@rule("E004", "missing-objective", "error")
def missing_objective(ctx: PlanContext) -> Iterator[Hit]:
    """A goal has no objective.

    Why:
    Objectives are the measurable steps toward a goal; reviewers look for
    them to see that treatment is working.

    Fails:
    goals:
      - id: G1
        statement: Improve sleep.
        objectives: []

    Passes:
    goals:
      - id: G1
        statement: Improve sleep.
        objectives:
          - id: O1.1
            statement: Sleep 6+ hours on 5 of 7 nights within 8 weeks (sleep diary).
    """
    for i, goal in enumerate(ctx.plan.goals):
        if not goal.objectives:
            yield (
                ("goals", i),
                (
                    f"Goal {goal.id or i + 1} has no objective. Add at least one measurable, "
                    "time-bound step under `objectives:` (2-4 per goal is typical)."
                ),
            )


@rule("E005", "missing-intervention", "error")
def missing_intervention(ctx: PlanContext) -> Iterator[Hit]:
    """The plan has no intervention.

    Why:
    Interventions are what the clinician will do; without them a reviewer
    cannot see the services the claim pays for.

    Fails:
    interventions: []

    Passes:
    interventions:
      - id: I1
        statement: Interoceptive exposure for panic sensations.
        objectives: [O1.1]
    """
    if not ctx.plan.interventions:
        yield (
            ("interventions",),
            (
                "The plan has no intervention. Add one under `interventions:` naming the "
                "technique (e.g. 'cognitive restructuring of catastrophic thoughts') and the "
                "objectives it serves."
            ),
        )


@rule("E006", "missing-frequency", "error")
def missing_frequency(ctx: PlanContext) -> Iterator[Hit]:
    """Frequency and duration are incomplete.

    The plan needs `frequency` with `sessions` (how often), `minutes` (how
    long), `format` (individual, family, couples, group) and either
    `duration_weeks` or `expected_sessions`.

    Why:
    Medicare and most payers ask for the type, amount, frequency and
    duration of services; reviewers use them to judge medical necessity.

    Fails:
    frequency: {sessions: weekly}

    Passes:
    frequency: {sessions: weekly, minutes: 50, format: individual, duration_weeks: 12}
    """
    frequency = ctx.plan.frequency
    if frequency is None:
        yield (
            ("frequency",),
            (
                "The plan has no frequency and duration. Add e.g. `frequency: {sessions: weekly, "
                "minutes: 50, format: individual, duration_weeks: 12}`."
            ),
        )
        return
    missing = [
        name
        for name, value in (
            ("sessions", frequency.sessions),
            ("minutes", frequency.minutes),
            ("format", frequency.format),
        )
        if value is None
    ]
    if frequency.duration_weeks is None and frequency.expected_sessions is None:
        missing.append("duration_weeks (or expected_sessions)")
    if missing:
        yield (
            ("frequency",),
            (
                f"Frequency and duration are incomplete: add {', '.join(missing)} under "
                "`frequency:`."
            ),
        )


@rule("E007", "missing-review-date", "error")
def missing_review_date(ctx: PlanContext) -> Iterator[Hit]:
    """The plan has no `review_by` date.

    Why:
    Plans are reviewed at least every 90 days for most payers (the 12-week
    rule); a plan without a review date is the "set and forget" plan
    auditors look for.

    Fails:
    written: 2026-01-12

    Passes:
    written: 2026-01-12
    review_by: 2026-04-12
    """
    if ctx.plan.review_by is None:
        anchor = ctx.plan.written
        example = ""
        if anchor:
            import datetime as dt

            due = anchor + dt.timedelta(days=ctx.config.review_cycle(ctx.plan.client.payer))
            example = f", e.g. `review_by: {due.isoformat()}`"
        yield ("review_by",), f"The plan has no review date. Add `review_by:`{example}."
