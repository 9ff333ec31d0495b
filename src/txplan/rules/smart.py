"""S: SMART objectives, read from each objective's text and its `measure`,
`target_date` and `status` together (TheraFocus, *How to write treatment
plans*: "Client will feel less anxious" is a wish, not an objective; the
12-week rule).

Each message names the SMART letter, quotes the words that triggered it,
and suggests a rewrite from the plan's own content: the instrument that fits
the primary diagnosis, and the client's latest score as the baseline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from txplan.clinical import instruments, smart
from txplan.clinical.instruments import Instrument
from txplan.findings import YamlPath
from txplan.plan import placeholders
from txplan.plan.model import Objective
from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext

# S004: a planned change faster than this share of the instrument's range per
# week is implausible. The domain reading's 12-week plans move GAD-7 from 15
# to 9 and PHQ-9 from 18 to 12 (about 0.5 points a week); 15% of the range
# (PHQ-9: 4 points a week, GAD-7: 3, PCL-5: 12) is deliberately generous, so
# only a pace no course of therapy keeps is flagged.
MAX_SHARE_OF_RANGE_PER_WEEK = 0.15


def _pattern(ctx: PlanContext) -> re.Pattern[str]:
    return instruments.mention_pattern(tuple(sorted(ctx.config.instruments)))


def _reading(ctx: PlanContext, objective: Objective) -> smart.Reading:
    key = ("smart.read", id(objective))
    if key not in ctx.memo:
        ctx.memo[key] = smart.read(objective.statement or "", _pattern(ctx))
    reading: smart.Reading = ctx.memo[key]
    return reading


def _readable(objective: Objective) -> bool:
    """A statement to judge: not empty and not just a scaffold placeholder (C009's)."""
    return bool(objective.statement) and not placeholders.only(objective.statement or "")


def _has_target(objective: Objective) -> bool:
    measure = objective.measure
    return bool(measure and measure.instrument and measure.target is not None)


def _instrument_of(ctx: PlanContext, objective: Objective) -> Instrument | None:
    if objective.measure and objective.measure.instrument:
        return instruments.find(objective.measure.instrument, ctx.config)
    named = _reading(ctx, objective).instrument if objective.statement else None
    return instruments.find(named, ctx.config) if named else None


def _fitting_instrument(ctx: PlanContext) -> Instrument | None:
    """The catalog instrument that measures the primary diagnosis, if any."""
    for _, diagnosis in ctx.diagnoses_with_role("primary"):
        code = ctx.canonical(diagnosis.code)
        for candidate in instruments.CATALOG:
            if candidate.concerns and instruments.relevant(candidate, {code}):
                return candidate
    return None


def _latest(ctx: PlanContext, instrument: Instrument) -> tuple[float, dt.date] | None:
    scores = [
        (m.date, m.score)
        for m in ctx.plan.measures
        if m.instrument
        and m.date
        and m.score is not None
        and instrument.low <= m.score <= instrument.high
        and instruments.find(m.instrument, ctx.config) == instrument
    ]
    if not scores:
        return None
    day, score = max(scores)
    return score, day


def _weeks_left(ctx: PlanContext) -> int:
    start, end = ctx.plan.written or ctx.today, ctx.plan.review_by
    if end and end > start:
        return max(1, min(12, (end - start).days // 7))
    return 12


def _rewrite(ctx: PlanContext) -> str:
    """An example objective built from this plan's own content."""
    weeks = _weeks_left(ctx)
    fitting = _fitting_instrument(ctx)
    if fitting is None:
        return (
            "a count ('from 5 to 2 per week'), a frequency ('on 4 of 5 school nights') or a "
            f"rating ('4/10 or lower') with a time frame ('within {weeks} weeks')"
        )
    latest = _latest(ctx, fitting)
    target = f"{fitting.suggested_target:g} or below" if fitting.suggested_target else "<target>"
    if latest:
        score, day = latest
        baseline = f"{score:g} (latest, {day.isoformat()})"
    else:
        baseline = "<baseline score>"
    return f"'reduce {fitting.name} from {baseline} to {target} within {weeks} weeks'"


def _name(objective: Objective, path: YamlPath) -> str:
    return f"Objective {objective.id}" if objective.id else f"The objective at {path[1]}.{path[3]}"


@rule("S001", "not-specific", "error")
def not_specific(ctx: PlanContext) -> Iterator[Hit]:
    """S (specific): the objective names a vague outcome, not a concrete behavior.

    "Feel better", "improve mood", "work on self-esteem", "gain insight",
    "have less anxiety" and the like are states no one can observe; so are
    outcomes of learning, insight, mindset, potential or general functioning
    ("learn about anxiety", "change her outlook", "reach his potential",
    "with improved functioning"). A concrete behavior is specific even
    without a number ("ask for help without shouting", "attend an AA
    meeting"). The objective passes when it pins the outcome to a behavior,
    a symptom count or an instrument score: "reduce stress-related
    headaches from 5 to 2 per week" is specific although it says "reduce
    stress", and "improve mood, as shown by a PHQ-9 decrease from 18 to 12"
    is specific although it says "improve mood"; a percentage of a vague
    state ("decrease depression by 50%") pins nothing. A condition ("when
    feeling the urge") or a purpose ("to reduce anxiety") is not the outcome.

    Why:
    Reviewers deny claims because objectives are wishes, not objectives
    (TheraFocus, *How to write treatment plans*); a vague objective cannot
    show progress.

    Fails:
    statement: Client will feel less anxious within 8 weeks.

    Passes:
    statement: Client will reduce GAD-7 from 15 to 9 or below within 8 weeks.
    """
    for path, _goal, objective in ctx.objectives():
        if not _readable(objective):
            continue
        reading = _reading(ctx, objective)
        # the reading looks for a vague outcome only where no measure or
        # instrument in the text pins it down
        if reading.vague and not _has_target(objective):
            yield (
                (*path, "statement"),
                (
                    f"S (specific): {_name(objective, path)} says '{reading.vague}', an outcome no "
                    "one can observe. Name the behavior or symptom that will change and by how "
                    f"much, e.g. {_rewrite(ctx)}."
                ),
            )


@rule("S002", "not-measurable", "error")
def not_measurable(ctx: PlanContext) -> Iterator[Hit]:
    """M (measurable): nothing in the objective can be counted or checked.

    Measurable means an instrument score with a target or a target band
    ("PHQ-9 below 10", "from severe to moderate on the GAD-7"), a count ("3
    of 5 conflicts", "three coping skills"), a frequency ("5x weekly",
    "twice a week", "daily", "each session"), a rating ("4/10"), a
    percentage ("80% of days"), a duration criterion ("under 30 minutes",
    "for 30 consecutive days"), a count of zero ("will not harm self",
    "stop hitting") or an observable yes/no result of a one-time act
    ("return to work full time", "complete a written safety plan", "complete
    psychological testing", "describe the conflicts"). A vague amount is
    not a measure ("more", "fewer", "regularly", "improved", "sleep more
    hours per night"), nor is an instrument named with no target ("as
    measured by the BDI-II"), nor are numbers that only say when ("within 8
    weeks"). "As evidenced by", "as reported by" and "per log" clauses are
    judged by the measure they name. A `measure` with an instrument and a
    target always counts.

    Why:
    Medical necessity requires documented, measurable goals (TheraFocus,
    *How to write treatment plans*): without a measure no one can say
    whether treatment is working.

    Fails:
    statement: Client will identify triggers for anxiety within 4 weeks.

    Passes:
    statement: Client will identify 5 triggers for anxiety within 4 weeks.
    """
    for path, _goal, objective in ctx.objectives():
        if not _readable(objective) or _has_target(objective):
            continue
        reading = _reading(ctx, objective)
        if reading.measure:
            continue
        named = reading.instrument
        if named:
            hint = f" It names {named} but no target: add the baseline and target score"
        elif reading.amount:
            hint = f" '{reading.amount}' names no amount: say how many or how often"
        else:
            hint = " Name what will be counted"
        yield (
            (*path, "statement"),
            (
                f"M (measurable): {_name(objective, path)} names nothing to measure.{hint}, e.g. "
                f"{_rewrite(ctx)}, or a count, frequency or rating ('3 of 5 conflicts', "
                "'5x weekly', '4/10')."
            ),
        )


@rule("S003", "not-achievable", "error")
def not_achievable(ctx: PlanContext) -> Iterator[Hit]:
    """A (achievable): the objective cannot be met as written.

    The target score is outside the instrument's range, or is no improvement
    on the baseline (lower is better on PHQ-9, GAD-7, PCL-5, AUDIT, DAST-10);
    the target date is before the plan was written; or the text promises
    what no one can ("never feel anxious again", "eliminate all anxiety",
    "100% of the time", "have zero panic attacks" with no period saying for
    how long); staying safe ("be free of injury") can be achieved.

    Why:
    An objective that cannot be achieved sets the client up to fail and
    tells a reviewer the plan was not thought through.

    Fails:
    measure: {instrument: PHQ-9, baseline: 12, target: 30}

    Passes:
    measure: {instrument: PHQ-9, baseline: 18, target: 9}
    """
    for path, _goal, objective in ctx.objectives():
        name = _name(objective, path)
        measure = objective.measure
        instrument = _instrument_of(ctx, objective)
        if measure and instrument and measure.target is not None:
            target = measure.target
            if not instrument.low <= target <= instrument.high:
                yield (
                    (*path, "measure", "target"),
                    (
                        f"A (achievable): {name}'s target {target:g} is outside {instrument.name}'s "
                        f"range ({instrument.shown_range()}). Choose a target within the range."
                    ),
                )
            elif measure.baseline is not None and not instrument.improves(measure.baseline, target):
                direction = "lower" if instrument.lower_is_better else "higher"
                yield (
                    (*path, "measure", "target"),
                    (
                        f"A (achievable): {name}'s target {target:g} is no improvement on the "
                        f"baseline {measure.baseline:g}; on {instrument.name} {direction} is better."
                    ),
                )
        if objective.target_date and ctx.plan.written and objective.target_date < ctx.plan.written:
            yield (
                (*path, "target_date"),
                (
                    f"A (achievable): {name}'s target date {objective.target_date.isoformat()} is "
                    f"before the plan was written ({ctx.plan.written.isoformat()}). Set a date ahead."
                ),
            )
        impossible = _reading(ctx, objective).impossible if objective.statement else None
        if impossible:
            yield (
                (*path, "statement"),
                (
                    f"A (achievable): {name} promises '{impossible}', which no one can achieve. "
                    f"Aim for a realistic change, e.g. {_rewrite(ctx)}."
                ),
            )


@rule("S004", "unrealistic-timeline", "warning")
def unrealistic_timeline(ctx: PlanContext) -> Iterator[Hit]:
    """The planned pace is implausible, or the objective is due after its goal.

    An instrument score that must change by more than 15% of the
    instrument's range per week (PHQ-9: 4 points a week, GAD-7: 3) between
    `written` and the objective's `target_date`, or an objective whose
    target date is later than its goal's. The 15% threshold is txplan's
    choice: the domain reading's 12-week plans move GAD-7 and PHQ-9 by about
    half a point a week, so it flags only a pace no course of therapy keeps.

    Why:
    Unrealistic timelines are one of the four common mistakes in plans
    (TheraFocus, *How to write treatment plans*); they set up a review full
    of unmet objectives.

    Fails:
    written: 2026-01-12
    measure: {instrument: PHQ-9, baseline: 22, target: 5}
    target_date: 2026-01-26

    Passes:
    measure: {instrument: PHQ-9, baseline: 22, target: 9}
    target_date: 2026-04-06
    """
    for path, goal, objective in ctx.objectives():
        name = _name(objective, path)
        measure = objective.measure
        instrument = _instrument_of(ctx, objective)
        start, due = ctx.plan.written, objective.target_date
        if (
            measure
            and instrument
            and start
            and due
            and due > start
            and measure.baseline is not None
            and measure.target is not None
            # a target outside the range or no improvement is S003's finding
            and instrument.low <= measure.target <= instrument.high
            and instrument.improves(measure.baseline, measure.target)
        ):
            weeks = (due - start).days / 7
            per_week = abs(measure.baseline - measure.target) / max(weeks, 0.5)
            limit = MAX_SHARE_OF_RANGE_PER_WEEK * (instrument.high - instrument.low)
            if per_week > limit:
                needed = abs(measure.baseline - measure.target) / limit
                yield (
                    (*path, "target_date"),
                    (
                        f"{name} asks {instrument.name} to move {per_week:.1f} points a week "
                        f"({measure.baseline:g} to {measure.target:g} in {weeks:.0f} weeks); more "
                        f"than {limit:.0f} a week is rarely achieved. Allow at least "
                        f"{needed:.0f} weeks, or set an intermediate target."
                    ),
                )
        if due and goal.target_date and due > goal.target_date:
            yield (
                (*path, "target_date"),
                (
                    f"{name} is due {due.isoformat()}, after its goal ({goal.target_date.isoformat()}). "
                    "Move the objective's date earlier or the goal's later."
                ),
            )


@rule("S005", "not-time-bound", "error")
def not_time_bound(ctx: PlanContext) -> Iterator[Hit]:
    """T (time-bound): the objective has no `target_date` and no time frame in its text.

    A time frame in the text is a deadline ("within 8 weeks", "in 4 weeks",
    "by session 6", "by 2026-05-01", "by March", "by next session", "by the
    90-day review") or a bounded period ("for 6 weeks", "for 30 consecutive
    days", "over the next 3 months", "over a two-week period", "this
    week", "for 4 consecutive sessions", "complete the 28-day program"). How
    long one episode lasts ("walk for 10 minutes"), a rate
    ("daily", "per month"), and "by the end of treatment", "ongoing", "as
    needed" or "soon" bound nothing.

    Why:
    Most payers review plans every 90 days; objectives need dates inside
    that cycle to show progress at review (the 12-week rule, TheraFocus,
    *How to write treatment plans*).

    Fails:
    statement: Client will walk 30 minutes three times a week.

    Passes:
    statement: Client will walk 30 minutes three times a week within 6 weeks.
    """
    for path, goal, objective in ctx.objectives():
        if objective.target_date or not _readable(objective):
            continue
        if _reading(ctx, objective).time_frame:
            continue
        by = goal.target_date or ctx.plan.review_by
        example = f"`target_date: {by.isoformat()}`" if by else "`target_date: YYYY-MM-DD`"
        loose = smart.loose_time(objective.statement or "")
        said = f" ('{loose}' names no date or period)" if loose else ""
        yield (
            (*path, "statement"),
            (
                f"T (time-bound): {_name(objective, path)} has no target date and no time frame{said}. "
                f"Add {example}, or a frame in the text such as 'within {_weeks_left(ctx)} weeks'."
            ),
        )


@rule("S006", "beyond-review", "warning")
def beyond_review(ctx: PlanContext) -> Iterator[Hit]:
    """The objective's target date is after the plan's review date.

    Why:
    Objectives should show progress within the review cycle: break a longer
    objective into a milestone due by `review_by` (the 12-week rule,
    TheraFocus, *How to write treatment plans*).

    Fails:
    review_by: 2026-04-12
    target_date: 2026-06-30

    Passes:
    review_by: 2026-04-12
    target_date: 2026-04-06
    """
    review_by = ctx.plan.review_by
    if review_by is None:
        return
    for path, _goal, objective in ctx.objectives():
        if objective.target_date and objective.target_date > review_by:
            yield (
                (*path, "target_date"),
                (
                    f"{_name(objective, path)} is due {objective.target_date.isoformat()}, after the "
                    f"review on {review_by.isoformat()}. Set a milestone due by the review and "
                    "carry the rest into the next cycle."
                ),
            )


@rule("S007", "irrelevant-measure", "warning")
def irrelevant_measure(ctx: PlanContext) -> Iterator[Hit]:
    """The objective's instrument measures nothing the plan's diagnoses or problems concern.

    Relevance follows ICD-10-CM codes (PHQ-9 for depressive disorders,
    GAD-7 for anxiety disorders, PCL-5 for trauma, AUDIT for alcohol, DAST-10
    for other substances, Y-BOCS for OCD, ISI for insomnia), or the topic
    named in a problem statement. Instruments declared in txplan.toml are
    relevant to any plan.

    Why:
    A measure that does not track the diagnosis cannot show that the
    treatment billed under it is working.

    Fails:
    diagnoses: [{code: F10.20, role: primary}]
    measure: {instrument: GAD-7, baseline: 14, target: 7}

    Passes:
    measure: {instrument: AUDIT, baseline: 21, target: 7}
    """
    problems_text = " ".join((p.statement or "").lower() for p in ctx.plan.problems)
    for path, _goal, objective in ctx.objectives():
        instrument = _instrument_of(ctx, objective)
        if instrument is None or instruments.relevant(instrument, ctx.diagnosis_codes):
            continue
        if any(topic in problems_text for topic in instrument.topics):
            continue
        fitting = _fitting_instrument(ctx)
        hint = f" {fitting.name} fits the primary diagnosis." if fitting else ""
        where = (*path, "measure", "instrument") if objective.measure else (*path, "statement")
        yield (
            where,
            (
                f"{_name(objective, path)} is measured with {instrument.name}, which measures "
                f"nothing this plan's diagnoses ({', '.join(sorted(ctx.diagnosis_codes)) or 'none'}) "
                f"or problems concern.{hint}"
            ),
        )


_FROM_TO = re.compile(
    rf"\bfrom (?:about |a score of )?({smart.NUM})\b.{{0,40}}?\bto (?:a score of )?({smart.NUM})\b"
)
_TO = re.compile(rf"\b(?:to|below|under|at or below|less than) (?:a score of )?({smart.NUM})\b")


def _number(text: str) -> float | None:
    m = re.match(r"\d+(?:\.\d+)?", text.strip())
    return float(m.group(0)) if m else None


@rule("S008", "text-measure-mismatch", "warning")
def text_measure_mismatch(ctx: PlanContext) -> Iterator[Hit]:
    """The numbers in the objective's text disagree with its `measure`.

    "From 15 to 9" in the text must match `baseline: 15` and `target: 9`;
    "below 10" must agree with a target under 10.

    Why:
    One truth per fact: when the text and the structured measure disagree,
    a reviewer cannot tell which the plan means.

    Fails:
    statement: Client will reduce GAD-7 from 15 to 10 within 12 weeks.
    measure: {instrument: GAD-7, baseline: 15, target: 9}

    Passes:
    statement: Client will reduce GAD-7 from 15 to 9 within 12 weeks.
    measure: {instrument: GAD-7, baseline: 15, target: 9}
    """
    for path, _goal, objective in ctx.objectives():
        measure = objective.measure
        if not measure or not objective.statement:
            continue
        text = smart.normalize(objective.statement)
        said: list[tuple[str, float, float | None]] = []
        pair = _FROM_TO.search(text)
        if pair:
            said = [
                ("baseline", _number(pair.group(1)) or -1, measure.baseline),
                ("target", _number(pair.group(2)) or -1, measure.target),
            ]
        else:
            alone = _TO.search(text)
            if alone and measure.target is not None:
                value = _number(alone.group(1))
                word = alone.group(0).lower()
                strict = word.startswith(("below", "under", "less"))
                fits = value is None or (
                    measure.target < value if strict else measure.target == value
                )
                if not fits:
                    yield (
                        (*path, "statement"),
                        (
                            f"{_name(objective, path)} says '{alone.group(0)}' but `measure.target` "
                            f"is {measure.target:g}. Make the text and the measure agree."
                        ),
                    )
        for field, in_text, in_measure in said:
            if in_measure is not None and in_text != in_measure:
                yield (
                    (*path, "statement"),
                    (
                        f"{_name(objective, path)} says {field} {in_text:g} in the text but "
                        f"`measure.{field}` is {in_measure:g}. Make the text and the measure agree."
                    ),
                )
