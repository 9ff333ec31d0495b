"""Session notes (N): the golden thread carried into every session.

Payers and auditors read the plan through the notes: "your treatment plan
goals and objectives should be reflected in each progress note" (Headway,
*How to write a mental health treatment plan*). A state Medicaid manual
spells out each note's elements (Oklahoma Administrative Code 317:30-5-248:
the plan goals or objectives addressed, the services used, progress or
barriers, the client's response, start and stop times, signature and
credentials), and Medicare contractors list missing session times, missing
signatures and time that does not support the CPT code among the commonest
audit errors (National Government Services, *Psychiatry and Psychology
Services*). Each note is checked against the plan in force on the
session's date (txplan.plan.notes.in_force).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from txplan.config import Config
from txplan.findings import Severity, Span, YamlPath
from txplan.rules import declare, note_rule

# A hit of a note rule: where, what to write instead, and (optionally) a
# closer span and a severity other than the rule's own.
NoteHit = tuple[YamlPath, str, Span | None, Severity | None]


@dataclass
class NoteContext:
    note: Any  # txplan.plan.notes.model.Note
    config: Config
    today: dt.date
    # The plan in force on the session's date (a txplan.plan.model.Plan), the
    # file it comes from and which version ("commit 1a2b3c4", "the working copy").
    plan: Any = None
    plan_file: str = ""
    plan_version: str = ""
    # Why there is no plan to judge the note by, when there is none.
    no_plan: str = ""
    set_aside: list[YamlPath] = field(default_factory=list)

    def where(self) -> str:
        """The plan file, and the version when git has more than one."""
        if not self.plan_version:
            return self.plan_file
        if self.plan_version.startswith("commit"):
            return f"{self.plan_file} at {self.plan_version}"
        return f"{self.plan_file} (uncommitted)"

    def payer(self) -> str | None:
        return self.plan.client.payer if self.plan is not None else None


def _hit(path: YamlPath, message: str, severity: Severity | None = None) -> NoteHit:
    return path, message, None, severity


def _plan_objectives(plan: Any) -> dict[str, Any]:
    return {o.id: o for g in plan.goals for o in g.objectives if o.id}


def _listed(items: list[str], most: int = 8) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


@note_rule("N001", "no-objective-cited", "error")
def no_objective_cited(ctx: NoteContext) -> Iterator[NoteHit]:
    """The note cites no objective of the plan.

    Each note names the plan objectives the session worked on, under
    `objectives:`, with the interventions used and the client's progress.

    Why:
    Payers read the plan through the notes: a session that cites no
    objective shows no medical necessity, and an auditor cannot tell what
    the service was for (Headway, *How to write a mental health treatment
    plan*; Oklahoma Administrative Code 317:30-5-248).

    Fails:
    ```yaml
    objectives: []
    ```

    Passes:
    ```yaml
    objectives:
      - id: O1.1
        interventions: [I1]
        progress: Worry log kept on 5 of 7 days; fewer late-night checks.
    ```
    """
    if ("objectives",) in ctx.set_aside:
        return
    if not any(cited.id for cited in ctx.note.objectives):
        ids = sorted(_plan_objectives(ctx.plan)) if ctx.plan is not None else []
        choices = f" The plan's objectives: {_listed(ids)}." if ids else ""
        yield _hit(
            ("objectives",),
            "The note cites no plan objective. Add `objectives:` with each objective this "
            "session worked on (`- id: O1.1`), the interventions used and the client's "
            f"progress.{choices}",
        )


@note_rule("N002", "unknown-plan-ref", "error")
def unknown_plan_ref(ctx: NoteContext) -> Iterator[NoteHit]:
    """The note cites an objective or intervention the plan in force does not have,
    or an intervention under an objective it is not linked to.

    The plan in force is the plan as it stood on the session's date, read
    from the plans folder's git history: a note written under the first
    version of a plan keeps citing that version's objectives correctly
    after a revision removes them.

    Why:
    The golden thread runs problem, diagnosis, goal, objective,
    intervention, and on into each note. A note that cites an objective the
    plan never had, or an intervention the plan does not use for that
    objective, breaks the thread an auditor follows from the claim back to
    the plan.

    Fails:
    ```yaml
    objectives:
      - id: O1.9          # the plan has O1.1 to O1.3
        interventions: [I2]
        progress: Practised paced breathing twice daily.
    ```

    Passes:
    ```yaml
    objectives:
      - id: O1.3
        interventions: [I2]   # the plan links I2 to O1.3
        progress: Practised paced breathing twice daily.
    ```
    """
    plan = ctx.plan
    if plan is None:
        return
    objectives = _plan_objectives(plan)
    interventions = {i.id: i for i in plan.interventions if i.id}
    for n, cited in enumerate(ctx.note.objectives):
        if not cited.id:
            continue
        if cited.id not in objectives:
            yield _hit(
                ("objectives", n, "id"),
                f"The plan in force on this date ({ctx.where()}) has no objective "
                f"`{cited.id}`; its objectives are {_listed(sorted(objectives)) or 'none'}. "
                "Cite one of them, or revise the plan first.",
            )
            continue
        for k, ref in enumerate(cited.interventions):
            intervention = interventions.get(ref)
            if intervention is None:
                yield _hit(
                    ("objectives", n, "interventions", k),
                    f"The plan in force on this date ({ctx.where()}) has no intervention "
                    f"`{ref}`; its interventions are "
                    f"{_listed(sorted(interventions)) or 'none'}. Cite one of them, or add "
                    "the intervention to the plan first.",
                )
            elif cited.id not in intervention.objectives:
                serves = _listed(list(intervention.objectives)) or "no objective"
                yield _hit(
                    ("objectives", n, "interventions", k),
                    f"In the plan in force ({ctx.where()}) intervention `{ref}` serves "
                    f"{serves}, not `{cited.id}`. Cite it under the objective it serves, or "
                    f"link it to `{cited.id}` in the plan's `interventions`.",
                )


@note_rule("N003", "no-plan-in-force", "error")
def no_plan_in_force(ctx: NoteContext) -> Iterator[NoteHit]:
    """No plan was in force for the session: none for the client, the plan
    had expired (the session falls after its `review_by`), or the session came
    before the plan was signed.

    Why:
    Services are authorized by a current, signed plan. Medicaid programs
    deny sessions held after the plan's review date has passed, and a
    session before the clinician signed the plan has no plan behind it.

    Fails:
    ```yaml
    # the plan's review_by is 2026-04-12
    date: 2026-04-20
    ```

    Passes:
    ```yaml
    date: 2026-04-06
    ```
    """
    note, plan = ctx.note, ctx.plan
    if plan is None:
        if ctx.no_plan:
            yield _hit(("client",), ctx.no_plan)
        return
    if note.date is None:
        return
    if plan.review_by is not None and note.date > plan.review_by:
        yield _hit(
            ("date",),
            f"The session on {note.date} falls after the plan's review date "
            f"(review_by {plan.review_by} in {ctx.where()}): the plan had expired. Review "
            f"the plan (`txplan review {note.client}`) and date the session within a plan in "
            "force, or correct the date.",
        )
    signatures = plan.signatures
    signed = signatures.clinician.date if signatures and signatures.clinician else None
    if signed is not None and note.date < signed:
        yield _hit(
            ("date",),
            f"The session on {note.date} came before the plan in force ({ctx.where()}) was "
            f"signed on {signed}. Sign the plan before the services it authorizes, or "
            "correct the date.",
        )


# CPT psychotherapy codes by the minutes they need: (fewest, most).
# CPT: 90832 16-37, 90834 38-52, 90837 53 and over; the same with an E/M
# visit (90833, 90836, 90838); family psychotherapy 26 and over.
TIMED: dict[str, tuple[int, int | None]] = {
    "90832": (16, 37),
    "90834": (38, 52),
    "90837": (53, None),
    "90833": (16, 37),
    "90836": (38, 52),
    "90838": (53, None),
    "90846": (26, None),
    "90847": (26, None),
}
CRISIS, CRISIS_MORE = "90839", "90840"
GROUP = "90853"
INTERACTIVE = "90785"
# The codes interactive complexity (90785) may be reported with (CPT):
# never with crisis psychotherapy (90839, 90840) or family psychotherapy.
WITH_INTERACTIVE = {"90791", "90792", "90832", "90833", "90834", "90836", "90837", "90838", GROUP}
EVALUATION_AND_MANAGEMENT = tuple(f"99{n}" for n in range(202, 256))


def minutes(start: str, end: str) -> int:
    def at(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return at(end) - at(start)


def _range(low: int, high: int | None) -> str:
    return f"{low} minutes or more" if high is None else f"{low}-{high} minutes"


def _fitting(ran: int) -> str | None:
    for code in ("90832", "90834", "90837"):
        low, high = TIMED[code]
        if ran >= low and (high is None or ran <= high):
            return code
    return None


@note_rule("N004", "cpt-time-mismatch", "error")
def cpt_time_mismatch(ctx: NoteContext) -> Iterator[NoteHit]:
    """The CPT code does not fit the minutes from start to end.

    CPT times psychotherapy: 90832 16-37 minutes, 90834 38-52, 90837 53 or
    more (the same for 90833, 90836, 90838 with an E/M visit); family
    psychotherapy 90846 and 90847 26 or more; crisis psychotherapy 90839 30-74
    minutes, with one 90840 for each further 30 (75-104 minutes with one,
    105-134 with two). 90853 is group psychotherapy, and interactive
    complexity (90785) is an add-on only to the codes CPT allows it with.

    Why:
    "Session length not matching the CPT code" is among the commonest chart
    review findings (Headway), and Medicare contractors deny time-based
    codes the documented times do not support (National Government
    Services, *Psychiatry and Psychology Services*).

    Fails:
    ```yaml
    start: "14:00"
    end: "14:45"     # 45 minutes is 90834
    cpt: "90837"
    ```

    Passes:
    ```yaml
    start: "14:00"
    end: "14:53"
    cpt: "90837"
    ```
    """
    note = ctx.note
    codes = list(note.cpt_codes)
    if not codes or ("cpt",) in ctx.set_aside:
        return
    yield from _add_on_problems(note, codes)
    if note.start is None or note.end is None:
        return
    ran = minutes(note.start, note.end)
    if ran <= 0:
        return  # N006 says the end is not after the start
    times = f"{ran} minutes ({note.start} to {note.end})"
    timed = [c for c in codes if c in TIMED]
    for code in timed:
        low, high = TIMED[code]
        if ran < low or (high is not None and ran > high):
            better = _fitting(ran) if code in ("90832", "90834", "90837") else None
            instead = f", which is {better}" if better else ""
            yield _hit(
                ("cpt",),
                f"The session ran {times}{instead}; {code} needs {_range(low, high)}. "
                "Correct the code or the times.",
            )
    if CRISIS in codes:
        more = codes.count(CRISIS_MORE)
        low, high = (30, 74) if more == 0 else (75 + 30 * (more - 1), 74 + 30 * more)
        if not low <= ran <= high:
            wanted = max(0, (ran - 75) // 30 + 1) if ran >= 75 else 0
            with_more = f"{CRISIS} with {more} x {CRISIS_MORE}" if more else CRISIS
            advice = (
                f"for {ran} minutes write {CRISIS}"
                + (f" with {wanted} x {CRISIS_MORE}" if wanted else "")
                if ran >= 30
                else "crisis psychotherapy needs at least 30 minutes"
            )
            yield _hit(
                ("cpt",),
                f"The session ran {times}; {with_more} covers {_range(low, high)}: {advice}.",
            )


def _add_on_problems(note: Any, codes: list[str]) -> Iterator[NoteHit]:
    if CRISIS_MORE in codes and CRISIS not in codes:
        yield _hit(
            ("cpt",),
            f"{CRISIS_MORE} adds 30 minutes to crisis psychotherapy and is billed only with "
            f"{CRISIS}: write both, or the code for the session held.",
        )
    if INTERACTIVE in codes and not any(
        c in WITH_INTERACTIVE or c in EVALUATION_AND_MANAGEMENT for c in codes
    ):
        others = [c for c in codes if c != INTERACTIVE]
        paired = f"with {', '.join(others)}" if others else "alone"
        yield _hit(
            ("cpt",),
            f"Interactive complexity ({INTERACTIVE}) is an add-on and cannot be billed "
            f"{paired}: CPT allows it with 90791, 90792, 90832-90838 and {GROUP}, not with "
            "crisis or family psychotherapy.",
        )
    if GROUP in codes and not isinstance(note.participants, int):
        yield _hit(
            ("participants",),
            f"{GROUP} is group psychotherapy: write the number of group members as "
            "`participants: 8`, or the code of the session held.",
        )
    primary = [c for c in codes if c in ("90832", "90834", "90837")]
    if len(primary) > 1:
        yield _hit(
            ("cpt",),
            f"One session has one psychotherapy time code, not {', '.join(primary)}: "
            "keep the one its minutes fit.",
        )


def _at(day: dt.date, clock: str | None, late: bool) -> dt.datetime:
    """A day and an "HH:MM" as a moment; with no time, the day's end for a
    session (late) and its start for a signature, so an unknown hour never
    makes a note look late."""
    if clock is None:
        return dt.datetime.combine(day, dt.time(23, 59) if late else dt.time(0, 0))
    hours, mins = clock.split(":")
    return dt.datetime.combine(day, dt.time(int(hours), int(mins)))


@note_rule("N005", "late-note", "warning")
def late_note(ctx: NoteContext) -> Iterator[NoteHit]:
    """The note was signed later than the payer's limit after the session,
    or is still unsigned past it.

    The limit is `note_hours` in txplan.toml (72 hours unless set), or the
    payer's own `[payers.NAME] note_hours` for the plan's `client.payer`. Past
    the general limit the finding is a warning; past a limit the payer sets it
    is an error, because that payer may deny the claim.

    Why:
    A note written days later is less reliable, and payers and Medicaid
    manuals set a time within which documentation is completed and signed;
    an unsigned note is one of the commonest audit errors (National
    Government Services, *Psychiatry and Psychology Services*).

    Fails:
    ```yaml
    date: 2026-02-10
    signed: {by: Daniel Reyes, credentials: LPC, date: 2026-02-16}
    ```

    Passes:
    ```yaml
    date: 2026-02-10
    signed: {by: Daniel Reyes, credentials: LPC, date: 2026-02-11}
    ```
    """
    note = ctx.note
    if note.date is None:
        return
    hours, payer_set = ctx.config.note_limit(ctx.payer())
    severity = Severity.ERROR if payer_set else None
    whose = f"{ctx.payer()}'s limit of {hours} hours" if payer_set else f"{hours} hours"
    try:
        ended = _at(note.date, note.end or note.start, late=True)
        due = ended + dt.timedelta(hours=hours)
    except OverflowError:
        return
    signed = note.signed.date if note.signed else None
    if signed is not None:
        at = _at(signed, note.signed.time, late=False)
        if at > due:
            days = (signed - note.date).days
            yield _hit(
                ("signed", "date"),
                f"Signed {signed}, {days} days after the session on {note.date}: past "
                f"{whose}. Sign notes within {hours} hours of the session; if the date is "
                "a typo, correct it.",
                severity,
            )
    elif dt.datetime.combine(ctx.today, dt.time(0, 0)) > due:
        yield _hit(
            ("signed",),
            f"Still unsigned {(ctx.today - note.date).days} days after the session on "
            f"{note.date}: past {whose}. Sign it now: `signed: {{by: ..., credentials: ..., "
            f"date: {ctx.today}}}`.",
            severity,
        )


GROUP_MOST = 12


@note_rule("N006", "missing-note-element", "error")
def missing_note_element(ctx: NoteContext) -> Iterator[NoteHit]:
    """The note lacks an element every session note needs: the date, start and
    end times, the place (and, for telehealth, the method), the participants,
    the progress under each cited objective, or a signature with credentials;
    or a group note lists more than 12 members.

    Why:
    Medicaid manuals list each element (Oklahoma Administrative Code
    317:30-5-248: start and stop times, the goals addressed, progress,
    signature and credentials), and missing session times and missing
    signatures are the commonest errors in Medicare contractors' audits
    (National Government Services, *Psychiatry and Psychology Services*).
    Payers cap a psychotherapy group at 12 members.

    Fails:
    ```yaml
    date: 2026-02-10
    cpt: "90837"
    objectives:
      - id: O1.1
    ```

    Passes:
    ```yaml
    date: 2026-02-10
    start: "14:00"
    end: "14:53"
    place: telehealth
    method: video
    participants: [client]
    objectives:
      - id: O1.1
        interventions: [I1]
        progress: Worry log kept on 5 of 7 days.
    signed: {by: Daniel Reyes, credentials: LPC, date: 2026-02-10}
    ```
    """
    note, aside = ctx.note, set(ctx.set_aside)
    wanted = {
        "date": "the session's date, `date: YYYY-MM-DD`",
        "start": 'when the session started, `start: "HH:MM"` (24-hour, quoted)',
        "end": 'when it ended, `end: "HH:MM"`',
        "place": "where it was held, `place: office` or `telehealth`",
        "participants": "who took part, `participants: [client]` (a group: its count)",
    }
    for key, what in wanted.items():
        if getattr(note, key) is None and (key,) not in aside:
            yield _hit((key,), f"The note does not say {what}. Add it.")
    if note.place == "telehealth" and note.method is None and ("method",) not in aside:
        yield _hit(
            ("method",),
            "A telehealth session names its method: add `method: video` or `method: audio`.",
        )
    if note.start and note.end and minutes(note.start, note.end) <= 0:
        yield _hit(
            ("end",),
            f"The session ends ({note.end}) no later than it starts ({note.start}). "
            "Write the times the session was held, in 24-hour form.",
        )
    if isinstance(note.participants, int) and note.participants > GROUP_MOST:
        yield _hit(
            ("participants",),
            f"A group of {note.participants}: payers cap a psychotherapy group at "
            f"{GROUP_MOST} members. Check the count, or split the group.",
        )
    yield from _cited_elements(note, aside)
    yield from _signature(note, aside)


def _cited_elements(note: Any, aside: set[YamlPath]) -> Iterator[NoteHit]:
    for n, cited in enumerate(note.objectives):
        if ("objectives", n) in aside:
            continue
        if not cited.id:
            yield _hit(
                ("objectives", n),
                "This cited objective has no `id`: write the plan objective's id, e.g. `id: O1.1`.",
            )
        elif not (cited.progress or "").strip():
            yield _hit(
                ("objectives", n, "progress"),
                f"Write the client's progress toward {cited.id}, or what stood in the way, "
                "under `progress:`.",
            )


def _signature(note: Any, aside: set[YamlPath]) -> Iterator[NoteHit]:
    if ("signed",) in aside:
        return
    if note.signed is None:
        yield _hit(
            ("signed",),
            "The note is not signed. Add `signed: {by: NAME, credentials: LPC, date: "
            "YYYY-MM-DD}` once it is complete.",
        )
        return
    for key, what in (
        ("by", "who signed it"),
        ("credentials", "the signer's credentials (LPC, LCSW, PhD...)"),
        ("date", "the date it was signed"),
    ):
        if getattr(note.signed, key) in (None, "") and ("signed", key) not in aside:
            yield _hit(("signed", key), f"The signature does not say {what}. Add `{key}:`.")


declare(
    "N007",
    "objective-neglected",
    "warning",
    """An active objective of the plan is cited in none of the client's last
    notes (4 unless `neglected_after_notes` says otherwise), or in none for
    30 days (`neglected_after_days`).

    Reported on the client's latest note, at its `objectives`. An objective
    counts from the first note written under a plan that has it, and only
    objectives still active (not met, not discontinued, in an active goal).

    Why:
    The set-and-forget plan: objectives written for the authorization and
    never worked on. Payers expect each objective to be addressed and its
    progress recorded; one that no session touches should be worked on,
    revised or closed at the next review.

    Fails:
    ```yaml
    # four notes in a row cite O1.1 only; the plan's O1.2 is in progress
    objectives:
      - id: O1.1
    ```

    Passes:
    ```yaml
    objectives:
      - id: O1.1
      - id: O1.2
    ```
    """,
    reads="note",
)

_CLOSED_OBJECTIVE = {"met", "not-met", "revised", "discontinued"}


def active_objectives(plan: Any) -> list[str]:
    """The ids of the plan's objectives still being worked on."""
    out = []
    for goal in plan.goals:
        if goal.status not in (None, "active"):
            continue
        for objective in goal.objectives:
            if objective.id and objective.status not in _CLOSED_OBJECTIVE:
                out.append(objective.id)
    return out


def neglected(
    notes: list[tuple[dt.date, set[str], set[str]]], config: Config
) -> list[tuple[str, str]]:
    """(objective, why) for each objective neglected as of the latest note.

    `notes` are the client's dated notes, oldest first: each with the
    objectives it cites and the active objectives of the plan in force."""
    if not notes:
        return []
    last_date, _, active = notes[-1]
    count, days = config.neglected_after_notes, config.neglected_after_days
    out = []
    for objective in sorted(active):
        under = [(d, cited) for d, cited, held in notes if objective in held]
        if not under or any(objective in cited for _, cited in under[-count:]):
            continue
        if len(under) >= count:
            out.append((objective, f"in none of the client's last {count} notes"))
            continue
        recent = [cited for d, cited in under if (last_date - d).days < days]
        if (last_date - under[0][0]).days >= days and not any(objective in c for c in recent):
            out.append((objective, f"in no note for the {days} days up to {last_date}"))
    return out


def neglect_message(objective: str, why: str, plan_file: str) -> str:
    return (
        f"Objective {objective} of {plan_file} is active but cited {why}. Work on it and "
        "record the progress, or revise or close it at the next review."
    )


_NOT_ASSESSED = {"", "n/a", "na", "-", "--", "not assessed", "deferred", "not done"}


@note_rule("N008", "risk-not-assessed", "warning")
def risk_not_assessed(ctx: NoteContext) -> Iterator[NoteHit]:
    """The plan holds a safety plan or an elevated risk, and the note records
    no risk assessment.

    Why:
    When a plan carries a safety plan, or the assessment rates risk moderate
    or high, each session reassesses it and the note says so: what was
    asked, what the client said, whether the safety plan was reviewed. An
    absent entry reads as an absent assessment.

    Fails:
    ```yaml
    # the plan has a safety_plan
    risk: n/a
    ```

    Passes:
    ```yaml
    risk: Denies suicidal ideation, intent or plan; safety plan reviewed.
    ```
    """
    plan = ctx.plan
    if plan is None or ("risk",) in ctx.set_aside:
        return
    held = plan.safety_plan
    # A scaffold's empty lists are no safety plan yet.
    safety = held is not None and any(
        (held.warning_signs, held.coping, held.supports, held.crisis_contacts)
    )
    level = plan.assessment.risk.level if plan.assessment and plan.assessment.risk else None
    if not safety and level not in ("moderate", "high"):
        return
    if (ctx.note.risk or "").strip().lower().rstrip(".") in _NOT_ASSESSED:
        why = "holds a safety plan" if safety else f"rates risk {level}"
        yield _hit(
            ("risk",),
            f"The plan in force ({ctx.where()}) {why}, and this note records no risk "
            "assessment. Add `risk:` with what was assessed, e.g. `risk: Denies suicidal "
            "ideation, intent or plan; safety plan reviewed.`",
        )
