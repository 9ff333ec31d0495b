"""C: documentation and compliance: signatures, session details, safety,
identity and what a payer's `require` list names (Headway, *How to write a mental health treatment plan*: session
details, second identifier, provider credentials, signatures or attested
verbal agreement, documentation within 72 hours)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from txplan.config import Config
from txplan.findings import YamlPath
from txplan.plan import placeholders
from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext

if TYPE_CHECKING:
    pass

_HIGH_RISK = {"moderate", "high"}
_ACTIVE = {None, "active"}


@rule("C001", "unsigned-by-client", "error")
def unsigned_by_client(ctx: PlanContext) -> Iterator[Hit]:
    """Neither the client nor a guardian signed (or verbally agreed to) the plan.

    A signature is a name and a date; for telehealth, `method:
    verbal-attested` records that the clinician attests the client reviewed
    and agreed to the plan.

    Why:
    Plans are co-authored; payers look for the client's agreement, signed
    or attested.

    Fails:
    signatures:
      clinician: {name: Susan Q. Practitioner, credentials: LCSW, date: 2026-01-12}

    Passes:
    signatures:
      clinician: {name: Susan Q. Practitioner, credentials: LCSW, date: 2026-01-12}
      client: {name: Jordan Avery, date: 2026-01-12, method: verbal-attested}
    """
    signatures = ctx.plan.signatures
    signers = [signatures.client, signatures.guardian] if signatures else []
    if any(s and s.name and s.date for s in signers):
        return
    path: YamlPath = (
        ("signatures", "client") if signatures and signatures.client else ("signatures",)
    )
    yield (
        path,
        (
            "The client has not signed: add `client: {name: ..., date: YYYY-MM-DD, method: "
            "wet|electronic|verbal-attested}` under `signatures:` (a guardian's signature for "
            "a minor)."
        ),
    )


@rule("C002", "unsigned-by-clinician", "error")
def unsigned_by_clinician(ctx: PlanContext) -> Iterator[Hit]:
    """The clinician's signature lacks a name, credentials or a date.

    Why:
    Payers require the provider's name and credentials on the plan, signed
    and dated.

    Fails:
    signatures:
      clinician: {name: Susan Q. Practitioner}

    Passes:
    signatures:
      clinician: {name: Susan Q. Practitioner, credentials: LCSW, date: 2026-01-12}
    """
    signatures = ctx.plan.signatures
    signature = signatures.clinician if signatures else None
    if signature is None:
        yield (
            ("signatures",),
            (
                "The clinician has not signed: add `clinician: {name: ..., credentials: ..., "
                "date: YYYY-MM-DD}` under `signatures:`."
            ),
        )
        return
    missing = [k for k in ("name", "credentials", "date") if getattr(signature, k) in (None, "")]
    if missing:
        yield (
            ("signatures", "clinician"),
            (
                f"The clinician's signature lacks {', '.join(missing)}. Sign with name, "
                "credentials and date."
            ),
        )


@rule("C003", "late-signature", "warning")
def late_signature(ctx: PlanContext) -> Iterator[Hit]:
    """The clinician signed later than `documentation_hours` (72) after the revision signed.

    The revision a signature signs is the plan as it stood on the signature's
    date: the latest of the session the plan was made in, a `changes` entry
    and a review dated on or before the signature. `txplan review` records a
    change with the review date and removes the signature dates, so signing
    again within the hours after that review is on time, however long after
    the first session. Dates carry no time of day, so a signature counts as
    on time up to the whole number of days the hours allow (72 hours: 3 days
    after).

    Why:
    Documentation should be completed within 24 hours of the visit and no
    later than 72 hours (Headway, *How to write a mental health treatment plan*); a revised plan is documented
    when it is signed again.

    Fails:
    session: {date: 2026-01-12, ...}
    signatures:
      clinician: {name: ..., credentials: LCSW, date: 2026-01-20}

    Passes:
    session: {date: 2026-01-12, ...}
    changes:
      - {date: 2026-04-06, what: O1.3 asks for 4 techniques, why: 3 were met early}
    signatures:
      clinician: {name: ..., credentials: LCSW, date: 2026-04-07}
    """
    session = ctx.plan.session
    signatures = ctx.plan.signatures
    if not (session and session.date and signatures and signatures.clinician):
        return
    signed = signatures.clinician.date
    if signed is None:
        return
    revised, what = session.date, f"the session of {session.date.isoformat()}"
    for kind, entries in (("change", ctx.plan.changes), ("review", ctx.plan.reviews)):
        for entry in entries:
            if entry.date and revised < entry.date <= signed:
                revised, what = entry.date, f"the {kind} of {entry.date.isoformat()}"
    allowed_days = math.ceil(ctx.config.documentation_hours / 24)
    if signed > revised + dt.timedelta(days=allowed_days):
        late = (signed - revised).days
        yield (
            ("signatures", "clinician", "date"),
            (
                f"The clinician signed {late} days after {what}; documentation is due within "
                f"{ctx.config.documentation_hours} hours. Sign plans promptly; if the date is a "
                "typo, correct it."
            ),
        )


@rule("C004", "missing-safety-plan", "error")
def missing_safety_plan(ctx: PlanContext) -> Iterator[Hit]:
    """Risk is moderate or high and there is no safety plan.

    The safety plan needs at least warning signs, coping strategies and
    crisis contacts.

    Why:
    Where there is risk of harm to self or others the plan must include
    crisis management: warning signs, coping steps, supports and contacts
    (Belongly, *Treatment plans*).

    Fails:
    assessment:
      risk: {level: moderate, notes: Passive ideation, no plan or intent.}

    Passes:
    safety_plan:
      warning_signs: [Withdrawing from family]
      coping: [Walk with the dog]
      supports: [Sister]
      crisis_contacts: [988 Suicide & Crisis Lifeline]
    """
    assessment = ctx.plan.assessment
    level = assessment.risk.level if assessment and assessment.risk else None
    if level not in _HIGH_RISK:
        return
    plan = ctx.plan.safety_plan
    empty = [
        k
        for k in ("warning_signs", "coping", "crisis_contacts")
        if plan is None or not getattr(plan, k)
    ]
    if empty:
        where: YamlPath = ("safety_plan",) if plan else ("assessment", "risk", "level")
        yield (
            where,
            (
                f"Risk is {level} but the safety plan has no {', '.join(empty)}. Write the "
                "safety plan with the client: warning signs, coping steps, supports and crisis "
                "contacts (e.g. 988)."
            ),
        )


@rule("C005", "missing-client-voice", "warning")
def missing_client_voice(ctx: PlanContext) -> Iterator[Hit]:
    """No goal carries the client's own words.

    Why:
    Plans are written with the client; a goal in the client's words beside
    the clinical goal shows collaboration and keeps treatment meaningful to
    them (Rula, *Treatment planning*; Belongly, *Treatment plans*).

    Fails:
    goals:
      - {id: G1, statement: Reduce anxiety symptoms., ...}

    Passes:
    goals:
      - id: G1
        client_words: "I want to stop worrying all the time."
        statement: Reduce anxiety symptoms.
    """
    goals = ctx.plan.goals
    if goals and not any((g.client_words or "").strip() for g in goals):
        yield (
            ("goals", 0),
            (
                "No goal carries the client's own words. Add `client_words:` with what the "
                'client said they want, in their words, e.g. "I want to sleep through the night."'
            ),
        )


@rule("C006", "missing-session-details", "warning")
def missing_session_details(ctx: PlanContext) -> Iterator[Hit]:
    """Session date, times or place are missing, or telehealth lacks its details.

    Telehealth needs `client_location` and `hipaa_platform: true`.

    Why:
    Payers audit the session the plan was made in: start and stop time,
    place of service, and for telehealth the client's location and a
    HIPAA-compliant platform (Headway, *How to write a mental health treatment plan*).

    Fails:
    session: {date: 2026-01-12, place: telehealth}

    Passes:
    session: {date: 2026-01-12, start: "13:03", end: "13:55", place: telehealth,
              client_location: home, hipaa_platform: true}
    """
    session = ctx.plan.session
    if session is None:
        yield (
            ("session",),
            (
                "The session the plan was made in is not recorded. Add `session:` with date, "
                'start and end ("HH:MM") and place.'
            ),
        )
        return
    missing = [k for k in ("date", "start", "end", "place") if getattr(session, k) is None]
    if session.place == "telehealth":
        if not session.client_location:
            missing.append("client_location (required for telehealth)")
        if session.hipaa_platform is not True:
            missing.append("hipaa_platform: true (telehealth on a HIPAA-compliant platform)")
    if missing:
        yield ("session",), f"Session details are incomplete: add {', '.join(missing)}."
    if session.start and session.end and session.end <= session.start:
        yield (
            ("session", "end"),
            (
                f"The session ends ({session.end}) before it starts ({session.start}). Check the times."
            ),
        )


@rule("C007", "too-many-goals", "warning")
def too_many_goals(ctx: PlanContext) -> Iterator[Hit]:
    """More active goals than `max_goals` (3), or objectives than `max_objectives_per_goal` (4).

    Why:
    A focused plan of 2-3 goals with 2-4 objectives each is one the client
    and clinician can actually work on (TheraFocus, *How to write treatment plans*; Headway, *How to write a mental health treatment plan*).

    Fails:
    goals: [G1, G2, G3, G4]   # four active goals

    Passes:
    goals: [G1, G2, G3]
    """
    active = [g for g in ctx.plan.goals if g.status in _ACTIVE]
    if len(active) > ctx.config.max_goals:
        yield (
            ("goals",),
            (
                f"The plan has {len(active)} active goals; keep it to {ctx.config.max_goals} or "
                "fewer. Defer or merge goals so treatment stays focused."
            ),
        )
    for gi, goal in enumerate(ctx.plan.goals):
        if len(goal.objectives) > ctx.config.max_objectives_per_goal:
            yield (
                ("goals", gi, "objectives"),
                (
                    f"Goal {goal.id or gi + 1} has {len(goal.objectives)} objectives; keep it to "
                    f"{ctx.config.max_objectives_per_goal} or fewer."
                ),
            )


@rule("C008", "missing-identifier", "error")
def missing_identifier(ctx: PlanContext) -> Iterator[Hit]:
    """No second identifier (date of birth or member ID) besides the name.

    Why:
    Records must identify the client by name plus a second identifier so
    the plan cannot be filed under the wrong person (Headway, *How to write a mental health treatment plan*).

    Fails:
    client: {id: C-1042, name: Jordan Avery}

    Passes:
    client: {id: C-1042, name: Jordan Avery, dob: 1991-03-14}
    """
    client = ctx.plan.client
    if client.dob is None and not client.member_id:
        yield (
            ("client",),
            (
                "The client has no second identifier. Add `dob: YYYY-MM-DD` or the payer's "
                "`member_id` under `client:`."
            ),
        )


def _strings(value: Any, path: YamlPath, out: list[tuple[YamlPath, str]]) -> None:
    """Every text in the plan, with its path, in the plan's order, into `out`
    (a list, not a generator: each text would otherwise pass up through a
    generator for each level above it, the cost of the walk)."""
    if isinstance(value, str):
        out.append((path, value))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _strings(item, (*path, i), out)
    else:
        fields = getattr(type(value), "model_fields", None)
        if fields:
            for name in fields:
                _strings(getattr(value, name), (*path, name), out)


@rule("C009", "placeholder-text", "error")
def placeholder_text(ctx: PlanContext) -> Iterator[Hit]:
    """A scaffold placeholder is left in the plan (`TODO`, `<...>`, `___`).

    `txplan new` writes what only the clinician can know (the client's own
    words, baseline scores, problem specifics) as visible placeholders; each
    must be replaced before the plan is signed. Each placeholder is its own
    finding at its own line and column, also several in one statement and
    inside folded (`>-`) or literal (`|`) blocks.

    Why:
    A plan with template text left in is the canned, copy-paste plan
    reviewers distrust (TheraFocus, *How to write treatment plans*; Rula, *Treatment planning*), and the placeholder is a
    fact the plan does not yet record.

    Fails:
    client_words: "<the client's goal, in their own words>"

    Passes:
    client_words: "I want to drive to work on the highway again."
    """
    strings: list[tuple[YamlPath, str]] = []
    _strings(ctx.plan, (), strings)
    # Nearly every plan has none: one search over all its text says so.
    if not placeholders.any_in(text for _, text in strings):
        return
    for path, text in strings:
        yield from placeholders.hits(text, path, ctx.positions)


@rule("C010", "missing-strengths", "info")
def missing_strengths(ctx: PlanContext) -> Iterator[Hit]:
    """No strengths are recorded.

    Why:
    Strengths are what treatment builds on, and reviewers and clients alike
    read a plan better when it names them (GoodTherapy, *Treatment plan*).

    Fails:
    assessment: {presenting_problem: ...}

    Passes:
    assessment:
      strengths: [Motivated for treatment, Supportive partner]
    """
    assessment = ctx.plan.assessment
    if assessment is None or not assessment.strengths:
        yield (
            ("assessment",),
            (
                "No strengths are recorded. Add `strengths:` under `assessment:` (e.g. "
                "motivation, supports, skills)."
            ),
        )


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return all(_empty(getattr(value, name)) for name in fields)
    return False


def _resolve(plan: Any, dotted: str) -> Any:
    current = plan
    for part in dotted.split("."):
        current = getattr(current, part, None) if current is not None else None
    return current


@rule("C011", "required-by-payer", "error")
def required_by_payer(ctx: PlanContext) -> Iterator[Hit]:
    """A field the payer's `require` list names is empty.

    In txplan.toml: `[payers.state-medicaid] require = ["session",
    "assessment.impairments", "signatures.client"]`. For a minor, a
    guardian's signature stands in for `signatures.client`.

    Why:
    Payers differ in what they audit; the folder's settings record each
    payer's extra requirements so no plan goes out without them.

    Fails:
    client: {id: C-1042, payer: state-medicaid}   # no session

    Passes:
    session: {date: 2026-01-12, start: "13:03", end: "13:55", place: office}
    """
    payer = ctx.plan.client.payer
    for dotted in ctx.config.payer_requires(payer):
        value = _resolve(ctx.plan, dotted)
        if dotted == "signatures.client" and _empty(value):
            value = _resolve(ctx.plan, "signatures.guardian")
        if _empty(value):
            yield (
                tuple(dotted.split(".")),
                (
                    f"{payer} requires `{dotted}`, which is empty. Fill it in before the plan is "
                    "submitted."
                ),
            )


@rule("C012", "missing-supervisor-signature", "error")
def missing_supervisor_signature(ctx: PlanContext) -> Iterator[Hit]:
    """A pre-licensed clinician's plan has no supervisor co-signature.

    Credentials listed in `prelicensed_credentials` (LPC-Associate, LMSW,
    LAC, MFT-Associate, Intern, Trainee by default) need a supervisor's
    signature with name, credentials and date.

    Why:
    Payers reimburse supervised clinicians' services only under the
    licensed supervisor, who must co-sign the plan.

    Fails:
    clinician: {name: Alex Kim, credentials: LMSW}
    signatures:
      clinician: {name: Alex Kim, credentials: LMSW, date: 2026-01-12}

    Passes:
    signatures:
      supervisor: {name: Dana Reyes, credentials: LCSW, date: 2026-01-13}
    """
    credentials = {
        c.strip().lower()
        for c in ((ctx.plan.clinician.credentials or "") if ctx.plan.clinician else "").split(",")
    }
    signatures = ctx.plan.signatures
    if signatures and signatures.clinician and signatures.clinician.credentials:
        credentials |= {c.strip().lower() for c in signatures.clinician.credentials.split(",")}
    prelicensed = {c.lower() for c in ctx.config.prelicensed_credentials}
    held = sorted(credentials & prelicensed)
    if not held:
        return
    supervisor = signatures.supervisor if signatures else None
    if supervisor and supervisor.name and supervisor.credentials and supervisor.date:
        return
    yield (
        ("signatures", "supervisor") if supervisor else ("signatures",),
        (
            f"The clinician's credentials ({', '.join(held).upper()}) are pre-licensure, so a "
            "supervisor must co-sign: add `supervisor: {name: ..., credentials: ..., date: "
            "YYYY-MM-DD}` under `signatures:`."
        ),
    )


@rule("C013", "unknown-payer", "error")
def unknown_payer(ctx: PlanContext) -> Iterator[Hit]:
    """`client.payer` is not a key of `[payers]` in txplan.toml.

    The payer key chooses the review cycle (R002) and what the payer
    requires (C011); a key txplan.toml does not have silently falls back to
    the folder's defaults. The message names the nearest key, or, when
    txplan.toml has no `[payers]` at all, how to add one.

    Why:
    A misspelt payer (`aetan`) makes a 30-day payer's plan pass a 90-day
    check and drops every requirement that payer audits: the plan looks
    fine and the claim is denied.

    Fails:
    client: {id: C-1042, payer: aetan}   # txplan.toml: [payers.aetna]

    Passes:
    client: {id: C-1042, payer: aetna}
    """
    payer = ctx.plan.client.payer
    if not payer or payer in ctx.config.payers or placeholders.find(payer):
        return
    yield ("client", "payer"), payer_problem(payer, ctx.config)


def payer_problem(payer: str, config: Config) -> str:
    """Why `payer` is no payer of these settings, with the way out."""
    where = config.path.name if config.path else "txplan.toml"
    add = (
        f"Add it: `[payers.{payer}]` with `review_days = 90` (the payer's cycle), or remove "
        "`payer`."
    )
    if config.path is None:
        return (
            f"`{payer}` names a payer, but no txplan.toml above this plan says its review "
            f"cycle and requirements. Create txplan.toml (`txplan init`) and {add[0].lower()}{add[1:]}"
        )
    if not config.payers:
        return (
            f"`{payer}` is not a payer in {where}, which has no [payers], so its review cycle "
            f"and requirements are unknown. {add}"
        )
    nearest = config.nearest_payer(payer)
    hint = f" did you mean '{nearest}'?" if nearest else ""
    return (
        f"`{payer}` is not a payer in {where}:{hint} Payers there: "
        f"{', '.join(config.payers)}. Write the key as txplan.toml spells it, or add "
        f"`[payers.{payer}]` with its `review_days`."
    )


@rule("C014", "identifying-client-id", "error")
def identifying_client_id(ctx: PlanContext) -> Iterator[Hit]:
    """The client ID carries the client's name or a birth date.

    The ID names the file and shows in every listing, commit, report and
    backup. It must not contain a part of `client.name`, a date (YYYY-MM-DD,
    YYYYMMDD, MMDDYYYY, MM-DD-YYYY, or the date of birth written any common
    way), or words that read as a person's name (two or more words of three
    or more letters, such as `Jordan-Avery-7`). IDs such as C-2001, INT-0042
    or ABC123 pass; one without a digit, or with anything but ASCII letters,
    digits and single `-`, `_` or `.` between them, is no client ID at all
    (F002).

    Why:
    IDs identify, they do not describe: a name or birth date in the ID puts
    protected health information in places no one thinks to protect, such
    as file names and commit messages.

    Fails:
    client: {id: Ana-Beltran-1996-05-30, name: Ana Beltran, dob: 1996-05-30}

    Passes:
    client: {id: C-1042, name: Ana Beltran, dob: 1996-05-30}
    """
    from txplan.plan import identity

    client = ctx.plan.client
    name = None if placeholders.find(client.name or "") else client.name
    reason = identity.identifying(client.id, name, client.dob)
    if reason:
        yield ("client", "id"), identity.advice(client.id, reason)


def _id_fields(ctx: PlanContext) -> Iterator[tuple[YamlPath, str, str]]:
    """Every id, diagnosis code and reference to one: (path, value, what it is)."""
    plan = ctx.plan
    for i, diagnosis in enumerate(plan.diagnoses):
        yield ("diagnoses", i, "code"), diagnosis.code or "", "diagnosis code"
    for i, problem in enumerate(plan.problems):
        yield ("problems", i, "id"), problem.id or "", "problem id"
        for j, code in enumerate(problem.diagnoses):
            yield ("problems", i, "diagnoses", j), code, "diagnosis code"
    for i, goal in enumerate(plan.goals):
        yield ("goals", i, "id"), goal.id or "", "goal id"
        for j, ref in enumerate(goal.problems):
            yield ("goals", i, "problems", j), ref, "problem id"
    for path, _goal, objective in ctx.objectives():
        yield (*path, "id"), objective.id or "", "objective id"
    for i, intervention in enumerate(plan.interventions):
        yield ("interventions", i, "id"), intervention.id or "", "intervention id"
        for j, ref in enumerate(intervention.objectives):
            yield ("interventions", i, "objectives", j), ref, "objective id"
    for i, review in enumerate(plan.reviews):
        for j, progress in enumerate(review.progress):
            yield ("reviews", i, "progress", j, "goal"), progress.goal or "", "goal id"


@rule("C015", "invisible-character-in-id", "error")
def invisible_character_in_id(ctx: PlanContext) -> Iterator[Hit]:
    """An id, a diagnosis code or a reference to one holds an invisible or control character.

    Zero-width spaces (U+200B), bidi controls such as RIGHT-TO-LEFT OVERRIDE
    (U+202E), byte-order marks, tabs, line breaks, no-break spaces and other
    characters that show as nothing are reported in problem, goal,
    objective and intervention ids, diagnosis codes, and every place that
    names one (`problems:` of a goal, `objectives:` of an intervention,
    `diagnoses:` of a problem, `goal:` of a review's progress). The message
    names each character and points at it. Such characters usually arrive
    with text pasted from a web page, a PDF or a chat. A client ID with one
    is not a client ID at all (F002).

    Why:
    `O1.1` and `O1.1` followed by a zero-width space look the same to every
    reader, but they are different ids: an intervention that names one does
    not serve the other, and the golden thread breaks where no one can see
    it. A bidi override makes an id show as something other than what it
    is.

    Fails:
    goals:
      - id: G1
        objectives:
          - id: "O1.1\\u200b"   # a zero-width space after O1.1

    Passes:
    goals:
      - id: G1
        objectives:
          - id: O1.1
    """
    import re

    from txplan.plan import identity

    for path, value, what in _id_fields(ctx):
        hidden = identity.invisible(value)
        if not hidden:
            continue
        names = list(dict.fromkeys(identity.character_name(c) for _, c in hidden))
        where = {i for i, _ in hidden}
        clean = "".join(c for i, c in enumerate(value) if i not in where)
        one = len(hidden) == 1
        message = (
            f"The {what} `{identity.shown(value)}` holds {' and '.join(names)}, "
            f"{'an invisible character' if one else 'invisible characters'}: it looks like "
            f"`{clean}` but is a different id, so a link between the two breaks where no one "
            f"can see it. Delete {'it' if one else 'them'}: "
            f"{f'write `{clean}`' if clean else 'type the id again by hand'}."
        )
        found = (
            ctx.positions.within(path, [re.compile(re.escape(hidden[0][1]))])
            if ctx.positions
            else []
        )
        span = found[0] if found else None
        yield (path, message) if span is None else (path, message, span)
