"""R: the review cycle. Plans are reviewed at least every 90 days for most
payers (TheraFocus, *How to write treatment plans*: the 12-week rule;
GoodTherapy, *Treatment plan*: cycles from 30 to about 100 days by service
type); a plan left unreviewed is "set and forget"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from txplan.findings import YamlPath
from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext

_OPEN_OBJECTIVE = {None, "not-started", "in-progress"}
_OPEN_GOAL = {None, "active"}
_CLOSED_GOAL = {"met", "discontinued", "deferred"}
_WEEKS_PER_SESSION = {"twice-weekly": 0.5, "weekly": 1.0, "biweekly": 2.0, "monthly": 4.35}


def _anchor(ctx: PlanContext) -> tuple[dt.date | None, str]:
    reviews = [r.date for r in ctx.plan.reviews if r.date]
    if reviews:
        return max(reviews), "the last review"
    return ctx.plan.written, "`written`"


@rule("R001", "review-overdue", "error")
def review_overdue(ctx: PlanContext) -> Iterator[Hit]:
    """The review date has passed.

    Why:
    A plan past its review date no longer supports the services billed
    under it; review it with the client (`txplan review`) and set the next
    date.

    Fails:
    review_by: 2026-04-12   # today is 2026-05-01

    Passes:
    review_by: 2026-07-10
    """
    review_by = ctx.plan.review_by
    if review_by and review_by < ctx.today:
        days = (ctx.today - review_by).days
        yield (
            ("review_by",),
            (
                f"The review was due on {review_by.isoformat()}, {days} day{'s' if days != 1 else ''} "
                "ago. Review the plan with the client and record it (`txplan review`), which sets "
                "the next date."
            ),
        )


@rule("R002", "review-beyond-cycle", "error")
def review_beyond_cycle(ctx: PlanContext) -> Iterator[Hit]:
    """`review_by` is later than the last review (or `written`) plus the review cycle.

    The cycle is the payer's `review_days` in txplan.toml, else the folder's
    `review_days` (90 by default).

    Why:
    A review date beyond the payer's cycle means the plan lapses before it
    is reviewed, and claims in the gap can be denied.

    Fails:
    written: 2026-01-12
    review_by: 2026-06-01   # 140 days; the cycle is 90

    Passes:
    written: 2026-01-12
    review_by: 2026-04-12
    """
    review_by = ctx.plan.review_by
    anchor, named = _anchor(ctx)
    if review_by is None or anchor is None:
        return
    cycle = ctx.config.review_cycle(ctx.plan.client.payer)
    latest = anchor + dt.timedelta(days=cycle)
    if review_by > latest:
        payer = ctx.plan.client.payer
        source = f"{payer}'s" if payer and payer in ctx.config.payers else "the"
        yield (
            ("review_by",),
            (
                f"The review date {review_by.isoformat()} is {(review_by - anchor).days} days after "
                f"{named} ({anchor.isoformat()}); {source} review cycle is {cycle} days. Set "
                f"`review_by: {latest.isoformat()}` or earlier."
            ),
        )


@rule("R003", "review-due-soon", "info")
def review_due_soon(ctx: PlanContext) -> Iterator[Hit]:
    """The review is due within `due_soon_days` (14 by default).

    Why:
    A reminder in time to schedule the review with the client.

    Fails:
    review_by: 2026-02-05   # today is 2026-02-01

    Passes:
    review_by: 2026-04-12
    """
    review_by = ctx.plan.review_by
    if review_by and ctx.today <= review_by <= ctx.today + dt.timedelta(
        days=ctx.config.due_soon_days
    ):
        days = (review_by - ctx.today).days
        yield (
            ("review_by",),
            (
                f"The review is due in {days} day{'s' if days != 1 else ''} ({review_by.isoformat()}). "
                "Schedule it with the client."
            ),
        )


@rule("R004", "stale-status", "warning")
def stale_status(ctx: PlanContext) -> Iterator[Hit]:
    """A goal or objective is past its target date and still open.

    An objective still `not-started` or `in-progress` (or with no status),
    or a goal still `active`, after its `target_date`.

    Why:
    The "set and forget" plan: statuses nobody updated tell a reviewer the
    plan is not guiding treatment.

    Fails:
    target_date: 2026-02-23
    status: in-progress     # today is 2026-03-15

    Passes:
    target_date: 2026-02-23
    status: met
    """
    for gi, goal in enumerate(ctx.plan.goals):
        if goal.target_date and goal.target_date < ctx.today and goal.status in _OPEN_GOAL:
            yield (
                ("goals", gi, "target_date"),
                (
                    f"Goal {goal.id or gi + 1} was due {goal.target_date.isoformat()} and is still "
                    f"{goal.status or 'without a status'}. Record where it stands (met, "
                    "partially-met, not-met, revised) or set a new target date with a `changes` entry."
                ),
            )
    for path, _goal, objective in ctx.objectives():
        if (
            objective.target_date
            and objective.target_date < ctx.today
            and objective.status in _OPEN_OBJECTIVE
        ):
            yield (
                (*path, "target_date"),
                (
                    f"Objective {objective.id or ''} was due {objective.target_date.isoformat()} and is "
                    f"still {objective.status or 'without a status'}. Record whether it was met, or "
                    "revise it with a new target date."
                ),
            )


@rule("R005", "no-active-goal", "warning")
def no_active_goal(ctx: PlanContext) -> Iterator[Hit]:
    """Every goal is met, discontinued or deferred.

    Why:
    A client in treatment needs at least one active goal (Rula, *Treatment planning*);
    when all are closed, update the plan with new goals or plan discharge.

    Fails:
    goals:
      - {id: G1, status: met, ...}

    Passes:
    goals:
      - {id: G1, status: met, ...}
      - {id: G2, status: active, ...}
    """
    goals = ctx.plan.goals
    if goals and all(g.status in _CLOSED_GOAL for g in goals):
        yield (
            ("goals",),
            (
                "No goal is active (all are met, discontinued or deferred). Add the next goal "
                "with the client, or plan discharge against the discharge criteria."
            ),
        )


@rule("R006", "plan-too-old", "error")
def plan_too_old(ctx: PlanContext) -> Iterator[Hit]:
    """The plan was written more than 365 days ago.

    Why:
    Medicare and many payers do not accept a plan older than a year as
    support for services, however often it was reviewed: write a new plan.

    Fails:
    written: 2025-01-12   # today is 2026-02-01

    Passes:
    written: 2026-01-12
    """
    written = ctx.plan.written
    if written and (ctx.today - written).days > 365:
        yield (
            ("written",),
            (
                f"The plan was written {written.isoformat()}, {(ctx.today - written).days} days ago. "
                "A plan older than a year does not support services: write a new plan with the "
                "client and update `written`."
            ),
        )


@rule("R007", "duration-over-year", "warning")
def duration_over_year(ctx: PlanContext) -> Iterator[Hit]:
    """The planned duration of treatment is a year or more.

    Counts `duration_weeks`, or `expected_sessions` at the planned frequency.

    Why:
    Payers authorize treatment in shorter spans; plan to a shorter horizon
    (e.g. 12-26 weeks) and extend it at review.

    Fails:
    frequency: {sessions: weekly, minutes: 50, format: individual, duration_weeks: 60}

    Passes:
    frequency: {sessions: weekly, minutes: 50, format: individual, duration_weeks: 24}
    """
    frequency = ctx.plan.frequency
    if frequency is None:
        return
    weeks: float | None = frequency.duration_weeks
    path = ("frequency", "duration_weeks")
    if weeks is None and frequency.expected_sessions and frequency.sessions in _WEEKS_PER_SESSION:
        weeks = frequency.expected_sessions * _WEEKS_PER_SESSION[frequency.sessions]
        path = ("frequency", "expected_sessions")
    if weeks is not None and weeks >= 52:
        yield (
            path,
            (
                f"The planned duration is about {weeks:.0f} weeks. Plan to a shorter horizon "
                "(12-26 weeks is typical) and extend it at review if treatment is still needed."
            ),
        )


@rule("R008", "future-date", "error")
def future_date(ctx: PlanContext) -> Iterator[Hit]:
    """A date that records something done is after today.

    Checks `client.dob`, `written`, `session.date`, the signatures' dates (client,
    guardian, clinician, supervisor), the dates of `measures`, `reviews`
    and `changes`. Target dates and `review_by` are meant to lie ahead and
    are not checked. When the year looks like a slip of the keys (its digits
    swapped or one digit off this year or last year), the message names the
    date that was likely meant.

    Why:
    A plan signed "in 2062" was signed on no real date: an auditor reads it
    as undated, and a future `written` or review date also hides the plan
    from the review-cycle checks (R001, R002, R006).

    Fails:
    written: 2062-01-12   # today is 2026-02-01

    Passes:
    written: 2026-01-12
    """
    for path, when, what in _recorded_dates(ctx):
        if when is not None and when > ctx.today:
            yield path, _future_message(what, when, ctx.today)


def _recorded_dates(ctx: PlanContext) -> Iterator[tuple[YamlPath, dt.date | None, str]]:
    plan = ctx.plan
    yield ("client", "dob"), plan.client.dob, "The date of birth"
    yield ("written",), plan.written, "The plan's `written` date"
    if plan.session:
        yield ("session", "date"), plan.session.date, "The session date"
    if plan.signatures:
        for signer in ("client", "guardian", "clinician", "supervisor"):
            signature = getattr(plan.signatures, signer)
            if signature is not None:
                yield (
                    ("signatures", signer, "date"),
                    signature.date,
                    f"The {signer}'s signature date",
                )
    for kind, noun in (("measures", "score"), ("reviews", "review"), ("changes", "change")):
        for i, entry in enumerate(getattr(plan, kind)):
            yield (kind, i, "date"), entry.date, f"The date of {kind}[{i}] (a {noun})"


def _future_message(what: str, when: dt.date, today: dt.date) -> str:
    meant = _likely_meant(when, today)
    if meant is not None:
        return (
            f"{what}, {when.isoformat()}, is after today ({today.isoformat()}). {when.year}: did "
            f"you mean {meant.year} ({meant.isoformat()})? Correct the year."
        )
    return (
        f"{what}, {when.isoformat()}, is after today ({today.isoformat()}); it records something "
        "already done, so it cannot be in the future. Correct the date."
    )


def _likely_meant(when: dt.date, today: dt.date) -> dt.date | None:
    """The date with this year or last year in place of a mistyped year
    (digits swapped, or one digit off), if that date is not in the future."""
    typed = f"{when.year:04d}"
    if when.year == today.year:
        return None  # the year is right; the slip is in the month or day
    for year in (today.year, today.year - 1):
        intended = f"{year:04d}"
        if typed == intended:
            continue
        swapped = sorted(typed) == sorted(intended)
        one_off = sum(a != b for a, b in zip(typed, intended, strict=True)) == 1
        if not (swapped or one_off):
            continue
        try:
            candidate = when.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate <= today:
            return candidate
    return None
