"""The plan file, format 1, as pydantic models (the plan format: `txplan schema`).

Only `txplan` and `client.id` are needed for a file to load; everything else
may be absent, because a missing element is a rule's finding (E001...), not a
load error: a half-written draft still gets a full report. Unknown keys are
errors (`extra="forbid"`) so a typo never makes a field silently vanish.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)
from pydantic_core import PydanticCustomError

from txplan.plan.identity import CLIENT_ID_MAX, CLIENT_ID_PATTERN

FORMAT_VERSION = 1

ClientId = Annotated[str, StringConstraints(pattern=CLIENT_ID_PATTERN, max_length=CLIENT_ID_MAX)]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Npi = Annotated[str, StringConstraints(pattern=r"^\d{10}$")]
Text = str


def not_true_or_false(value: Any) -> Any:
    # pydantic reads `true` as 1.0: `score: true` would count as a score of 1.
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


Number = Annotated[float, BeforeValidator(not_true_or_false)]

Place = Literal["office", "telehealth", "home", "school", "other"]
Role = Literal["primary", "secondary", "rule-out", "historical"]
RiskLevel = Literal["none", "low", "moderate", "high"]
GoalStatus = Literal[
    "active", "met", "partially-met", "not-met", "revised", "discontinued", "deferred"
]
ObjectiveStatus = Literal["not-started", "in-progress", "met", "not-met", "revised", "discontinued"]
Provider = Literal["clinician", "client", "family", "psychiatrist", "other"]
Cadence = Literal["twice-weekly", "weekly", "biweekly", "monthly", "as-needed"]
SessionFormat = Literal["individual", "family", "couples", "group"]
SignMethod = Literal["wet", "electronic", "verbal-attested"]


class Part(BaseModel):
    # coerce_numbers_to_str: `npi: 1234567890` or `code: 300.02` unquoted is
    # still what the clinician meant; the rules judge the text. No infinity or
    # NaN: it would reach JSON and FHIR output as `Infinity`, which is not JSON
    # (validate.py reports such numbers before the model sees them).
    model_config = ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, frozen=False, allow_inf_nan=False
    )


class Client(Part):
    """The client the plan is for. Only `id` is required."""

    id: ClientId = Field(
        description=(
            "The client's record number, required: it names the file (<id>.plan.yaml) and "
            "must be unique in the folder. ASCII letters and digits joined by single "
            "-, _ or ., with at least one digit, at most 40 characters; never the client's "
            "name or birth date."
        ),
        examples=["C-1042", "INT-0042"],
    )
    name: Text | None = Field(
        default=None,
        description="The client's full name, as on the record. Optional.",
        examples=["Jordan Avery"],
    )
    dob: dt.date | None = Field(
        default=None,
        description=(
            "The client's date of birth, YYYY-MM-DD; not after today. Besides the name, a "
            "date of birth or a member ID is needed to identify the client."
        ),
        examples=["1991-03-14"],
    )
    pronouns: Text | None = Field(
        default=None,
        description="The pronouns the client uses. Optional.",
        examples=["she/her", "they/them"],
    )
    payer: Text | None = Field(
        default=None,
        description=(
            "The payer, as a key of [payers] in txplan.toml: it chooses the review cycle "
            "and what the payer requires. When absent, the folder's defaults apply."
        ),
        examples=["aetna", "state-medicaid"],
    )
    member_id: Text | None = Field(
        default=None,
        description=(
            "The member ID on the client's insurance card. Besides the name, a date of "
            "birth or a member ID is needed to identify the client."
        ),
        examples=["W123456789"],
    )


class Clinician(Part):
    """The clinician who wrote the plan."""

    name: Text | None = Field(
        default=None,
        description="The clinician's full name.",
        examples=["Susan Q. Practitioner"],
    )
    credentials: Text | None = Field(
        default=None,
        description=(
            "The clinician's license or credentials. A pre-licensed credential (such as "
            "LMSW or LPC-Associate) needs a supervisor's co-signature."
        ),
        examples=["LCSW", "PhD", "LMSW"],
    )
    npi: Npi | None = Field(
        default=None,
        description="The clinician's National Provider Identifier: 10 digits, quoted. Optional.",
        examples=["1234567890"],
    )


class Session(Part):
    """The session the plan was made in, as payers audit it: date, times, place of service."""

    date: dt.date | None = Field(
        default=None,
        description="The date of the session, YYYY-MM-DD.",
        examples=["2026-01-12"],
    )
    start: ClockTime | None = Field(
        default=None,
        description='When the session started, 24-hour "HH:MM", quoted.',
        examples=["13:03"],
    )
    end: ClockTime | None = Field(
        default=None,
        description='When the session ended, 24-hour "HH:MM", quoted.',
        examples=["13:55"],
    )
    place: Place | None = Field(
        default=None,
        description=(
            "Where the session took place: office, telehealth, home, school or other. "
            "Telehealth also needs client_location and hipaa_platform."
        ),
        examples=["office", "telehealth"],
    )
    client_location: Text | None = Field(
        default=None,
        description=(
            "Where the client was during a telehealth session; required when place is telehealth."
        ),
        examples=["home", "car, parked"],
    )
    hipaa_platform: bool | None = Field(
        default=None,
        description=(
            "true when the telehealth session ran on a HIPAA-compliant platform; "
            "telehealth needs true."
        ),
        examples=[True],
    )


class Diagnosis(Part):
    """One diagnosis, by its ICD-10-CM code. A plan needs one with role primary."""

    code: Text | None = Field(
        default=None,
        description=(
            "The ICD-10-CM code, billable (most specific) and written canonically, "
            "such as F41.1 or F43.10; problems link to the diagnosis by this code."
        ),
        examples=["F41.1", "F43.10"],
    )
    name: Text | None = Field(
        default=None,
        description="The diagnosis in words; it should agree with the code's ICD-10-CM title.",
        examples=["Generalized anxiety disorder"],
    )
    severity: Text | None = Field(
        default=None,
        description="The severity or course specifier, in words. Optional.",
        examples=["moderate", "in partial remission"],
    )
    role: Role | None = Field(
        default=None,
        description=(
            "What the diagnosis is to this plan: primary (the one services are billed "
            "under), secondary, rule-out or historical."
        ),
        examples=["primary", "rule-out"],
    )
    criteria: Text | None = Field(
        default=None,
        description="The diagnostic criteria met, with onset and duration.",
        examples=["Excessive worry more days than not for 8+ months; criteria A-F met."],
    )


class Risk(Part):
    """The risk assessment: a level, and what was asked and found."""

    level: RiskLevel | None = Field(
        default=None,
        description=(
            "The assessed risk of harm to self or others: none, low, moderate or high. "
            "Moderate or high needs a safety plan."
        ),
        examples=["low"],
    )
    notes: Text | None = Field(
        default=None,
        description=(
            "What the level rests on: ideation, plan, intent, means, history; what was asked."
        ),
        examples=["Denies suicidal and homicidal ideation; no history of self-harm."],
    )


class Assessment(Part):
    """The assessment behind the plan: the problem, its history, strengths, impairments and risk."""

    presenting_problem: Text | None = Field(
        default=None,
        description="What brings the client to treatment, in observable terms.",
        examples=["Persistent worry about work and health most days; distress rated 8/10."],
    )
    history: Text | None = Field(
        default=None,
        description="Onset, course and prior treatment of the presenting problem.",
        examples=["Symptoms for 8+ months, gradually worsening; no prior treatment."],
    )
    strengths: list[Text] = Field(
        default=[],
        description="Strengths treatment can build on, one per item. Empty by default.",
        examples=[["Motivated for treatment", "Supportive partner"]],
    )
    impairments: list[Text] = Field(
        default=[],
        description=(
            "Functional impairments the symptoms cause (work, school, relationships, self "
            "care), one per item, best with a number; they support medical necessity."
        ),
        examples=[["Missed three work deadlines in the past month"]],
    )
    risk: Risk | None = Field(
        default=None,
        description="The risk assessment: level and notes.",
    )


class Problem(Part):
    """A problem the client brings, in observable terms, linked to its diagnoses."""

    id: Text | None = Field(
        default=None,
        description="The problem's id, unique in the plan; goals link to it by this id.",
        examples=["P1"],
    )
    statement: Text | None = Field(
        default=None,
        description=(
            "What the client experiences or does and how often, how long or how much, "
            "in observable terms."
        ),
        examples=["Panic attacks 3-4 times per week, each lasting about 10 minutes."],
    )
    diagnoses: list[Text] = Field(
        default=[],
        description=(
            "The codes of the plan's diagnoses this problem is a symptom or consequence of. "
            "Empty by default."
        ),
        examples=[["F41.1"]],
    )


class ObjectiveMeasure(Part):
    """An objective's measure: an instrument, the score at the start and the score aimed for."""

    instrument: Text | None = Field(
        default=None,
        description=(
            "The standardized instrument, by a name txplan knows (PHQ-9, GAD-7, PCL-5, "
            "AUDIT, ...) or one declared in txplan.toml."
        ),
        examples=["GAD-7", "PHQ-9"],
    )
    baseline: Number | None = Field(
        default=None,
        description="The score when the objective was set; a number in the instrument's range.",
        examples=[15],
    )
    target: Number | None = Field(
        default=None,
        description=(
            "The score the objective aims for; a number in the instrument's range that "
            "improves on the baseline."
        ),
        examples=[9],
    )


class Objective(Part):
    """A measurable, time-bound step toward a goal."""

    id: Text | None = Field(
        default=None,
        description=(
            "The objective's id, unique across all goals; interventions link to it by this id."
        ),
        examples=["O1.1"],
    )
    statement: Text | None = Field(
        default=None,
        description=(
            "The objective, SMART: a concrete behavior or score, a measure and a time frame."
        ),
        examples=[
            "Client will reduce GAD-7 score from 15 to 9 or below within 12 weeks, "
            "as measured by bi-weekly administration."
        ],
    )
    measure: ObjectiveMeasure | None = Field(
        default=None,
        description="The objective's measure as instrument, baseline and target. Optional.",
        examples=[{"instrument": "GAD-7", "baseline": 15, "target": 9}],
    )
    target_date: dt.date | None = Field(
        default=None,
        description=(
            "When the objective is due, YYYY-MM-DD; best by the plan's review_by and "
            "no later than its goal's target date."
        ),
        examples=["2026-04-06"],
    )
    status: ObjectiveStatus | None = Field(
        default=None,
        description=(
            "Where the objective stands: not-started, in-progress, met, not-met, revised "
            "or discontinued. Absent counts as still open."
        ),
        examples=["in-progress"],
    )


class Goal(Part):
    """A big-picture change treatment works toward, with the objectives that lead to it."""

    id: Text | None = Field(
        default=None,
        description="The goal's id, unique in the plan; reviews rate progress by this id.",
        examples=["G1"],
    )
    problems: list[Text] = Field(
        default=[],
        description="The ids of the problems this goal resolves. Empty by default.",
        examples=[["P1"]],
    )
    client_words: Text | None = Field(
        default=None,
        description="The goal in the client's own words, quoted.",
        examples=["I want to stop worrying all the time and sleep through the night."],
    )
    statement: Text | None = Field(
        default=None,
        description="The goal in clinical terms.",
        examples=["Reduce anxiety symptoms to improve daily functioning."],
    )
    target_date: dt.date | None = Field(
        default=None,
        description="When the goal is due, YYYY-MM-DD.",
        examples=["2026-04-06"],
    )
    status: GoalStatus | None = Field(
        default=None,
        description=(
            "Where the goal stands: active, met, partially-met, not-met, revised, "
            "discontinued or deferred. Absent counts as active."
        ),
        examples=["active"],
    )
    objectives: list[Objective] = Field(
        default=[],
        description="The measurable steps toward the goal; a goal needs at least one.",
    )


class Intervention(Part):
    """What will be done in treatment, and which objectives it serves."""

    id: Text | None = Field(
        default=None,
        description="The intervention's id, unique in the plan.",
        examples=["I1"],
    )
    statement: Text | None = Field(
        default=None,
        description=(
            "What will be done, concretely enough for another clinician to follow: "
            "the technique and its target."
        ),
        examples=["Cognitive restructuring targeting worry thoughts and catastrophic thinking."],
    )
    modality: Text | None = Field(
        default=None,
        description="The treatment approach the intervention belongs to. Optional.",
        examples=["CBT", "DBT"],
    )
    by: Provider | None = Field(
        default=None,
        description=(
            "Who carries it out: clinician, client, family, psychiatrist or other. Optional."
        ),
        examples=["clinician"],
    )
    objectives: list[Text] = Field(
        default=[],
        description=(
            "The ids of the objectives this intervention serves; each intervention needs "
            "at least one."
        ),
        examples=[["O1.1", "O2.2"]],
    )


class Frequency(Part):
    """How often, how long and in what format services are given, and for how long in all."""

    sessions: Cadence | None = Field(
        default=None,
        description=(
            "How often sessions take place: twice-weekly, weekly, biweekly, monthly or as-needed."
        ),
        examples=["weekly"],
    )
    minutes: int | None = Field(
        default=None,
        ge=1,
        le=600,
        description="How long each session lasts, in whole minutes (1 to 600).",
        examples=[50],
    )
    format: SessionFormat | None = Field(
        default=None,
        description="The session format: individual, family, couples or group.",
        examples=["individual"],
    )
    duration_weeks: int | None = Field(
        default=None,
        ge=1,
        description=(
            "How many weeks treatment is planned for, a whole number of 1 or more; "
            "this or expected_sessions is needed."
        ),
        examples=[12],
    )
    expected_sessions: int | None = Field(
        default=None,
        ge=1,
        description=(
            "How many sessions treatment is planned for, a whole number of 1 or more; "
            "this or duration_weeks is needed."
        ),
        examples=[12],
    )


class Contact(Part):
    """A person in the safety plan: name, relation and phone. Kept apart, so a de-identified
    copy knows every name."""

    name: Text | None = Field(
        default=None,
        description="The person's name.",
        examples=["Karin Avery"],
    )
    relation: Text | None = Field(
        default=None,
        description="Who the person is to the client.",
        examples=["sister"],
    )
    phone: Text | None = Field(
        default=None,
        description="The person's phone number.",
        examples=["555-0142"],
    )


# Union tags, which pydantic puts in error locations; validate.py drops them.
UNION_TAGS = frozenset({"text", "contact"})


def _entry_kind(value: Any) -> str:
    return "contact" if isinstance(value, dict | Contact) else "text"


# A support or crisis contact: plain text ("Sister (Karin) 555-0142") or
# `{name, relation, phone}`.
SafetyEntry = Annotated[
    Annotated[Text, Tag("text")] | Annotated[Contact, Tag("contact")],
    Discriminator(_entry_kind),
]


class SafetyPlan(Part):
    """Crisis management, written with the client; needed when risk is moderate or high."""

    warning_signs: list[Text] = Field(
        default=[],
        description="Signs that a crisis may be building, one per item. Empty by default.",
        examples=[["Withdrawing from family", "Not sleeping for two nights"]],
    )
    coping: list[Text] = Field(
        default=[],
        description="Coping steps the client can take alone, one per item. Empty by default.",
        examples=[["Walk with the dog", "Paced breathing for five minutes"]],
    )
    supports: list[SafetyEntry] = Field(
        default=[],
        description=(
            "People and places that help: a person as {name, relation, phone}, a place or "
            "group as plain text. Empty by default."
        ),
        examples=[[{"name": "Karin Avery", "relation": "sister", "phone": "555-0142"}, "Library"]],
    )
    crisis_contacts: list[SafetyEntry] = Field(
        default=[],
        description=(
            "Whom to call in a crisis: plain text or {name, relation, phone}. Empty by default."
        ),
        examples=[["988 Suicide & Crisis Lifeline (call or text 988)"]],
    )


class Score(Part):
    """One administration of a standardized instrument: which, when and the score."""

    instrument: Text | None = Field(
        default=None,
        description=(
            "The instrument, by a name txplan knows (PHQ-9, GAD-7, PCL-5, AUDIT, AUDIT-C, "
            "DAST-10, EPDS, Y-BOCS, ISI) or one declared in txplan.toml."
        ),
        examples=["PHQ-9"],
    )
    date: dt.date | None = Field(
        default=None,
        description="When the instrument was given, YYYY-MM-DD; not after today.",
        examples=["2026-01-12"],
    )
    score: Number | None = Field(
        default=None,
        description="The total score, a number in the instrument's range.",
        examples=[15],
    )


class GoalProgress(Part):
    """Progress on one goal at a review."""

    goal: Text | None = Field(
        default=None,
        description="The id of the goal rated.",
        examples=["G1"],
    )
    rating: int | None = Field(
        default=None,
        ge=0,
        le=10,
        description="Progress toward the goal, a whole number from 0 (none) to 10.",
        examples=[6],
    )
    note: Text | None = Field(
        default=None,
        description="A note on the progress.",
        examples=["GAD-7 now 10"],
    )


class Review(Part):
    """A review of the plan with the client, as `txplan review` records it."""

    date: dt.date | None = Field(
        default=None,
        description="When the plan was reviewed, YYYY-MM-DD; not after today.",
        examples=["2026-04-06"],
    )
    by: Text | None = Field(
        default=None,
        description="Who reviewed the plan: name and credentials.",
        examples=["Susan Q. Practitioner, LCSW"],
    )
    summary: Text | None = Field(
        default=None,
        description="What the review found.",
        examples=["Client met O1.3 and O2.2; continuing weekly CBT."],
    )
    progress: list[GoalProgress] = Field(
        default=[],
        description="Each goal's progress rating and note. Empty by default.",
        examples=[[{"goal": "G1", "rating": 6, "note": "GAD-7 now 10"}]],
    )
    next_review: dt.date | None = Field(
        default=None,
        description="The next review date set at this review, YYYY-MM-DD.",
        examples=["2026-07-05"],
    )


class Change(Part):
    """A change to the plan and the reason for it."""

    date: dt.date | None = Field(
        default=None,
        description="When the plan was changed, YYYY-MM-DD; not after today.",
        examples=["2026-03-01"],
    )
    what: Text | None = Field(
        default=None,
        description="What changed in the plan.",
        examples=["Added G3 (return to work)"],
    )
    why: Text | None = Field(
        default=None,
        description="Why the plan changed.",
        examples=["Client started a job search"],
    )


class ClinicianSignature(Part):
    """A clinician's signature: name, credentials and date, all three needed."""

    name: Text | None = Field(
        default=None,
        description="The signer's full name.",
        examples=["Susan Q. Practitioner"],
    )
    credentials: Text | None = Field(
        default=None,
        description="The signer's license or credentials.",
        examples=["LCSW"],
    )
    date: dt.date | None = Field(
        default=None,
        description="When the plan was signed, YYYY-MM-DD; not after today.",
        examples=["2026-01-12"],
    )


class PersonSignature(Part):
    """A client's or guardian's signature: name, date and how it was given."""

    name: Text | None = Field(
        default=None,
        description="The signer's full name.",
        examples=["Jordan Avery"],
    )
    date: dt.date | None = Field(
        default=None,
        description="When the plan was signed or agreed to, YYYY-MM-DD; not after today.",
        examples=["2026-01-12"],
    )
    method: SignMethod | None = Field(
        default=None,
        description=(
            "How it was signed: wet, electronic, or verbal-attested (the clinician attests "
            "the client reviewed and agreed, as in telehealth)."
        ),
        examples=["electronic", "verbal-attested"],
    )


class Signatures(Part):
    """Who signed the plan. The client or a guardian, and the clinician, must sign."""

    clinician: ClinicianSignature | None = Field(
        default=None,
        description="The clinician's signature: name, credentials and date.",
    )
    client: PersonSignature | None = Field(
        default=None,
        description="The client's signature or attested agreement: name, date and method.",
    )
    guardian: PersonSignature | None = Field(
        default=None,
        description=(
            "A parent's or guardian's signature, for a minor; it stands in for the client's."
        ),
    )
    supervisor: ClinicianSignature | None = Field(
        default=None,
        description="The supervisor's co-signature, needed when the clinician is pre-licensed.",
    )


class Plan(Part):
    """A treatment plan, format 1: one client's plan in one file, <client-id>.plan.yaml.
    Only txplan and client.id are required to load; txplan lint reports what else is missing."""

    txplan: int = Field(
        description="The plan format number, required; 1 is the only format.",
        examples=[1],
    )
    client: Client = Field(
        description="The client the plan is for, required, with at least an id.",
    )
    clinician: Clinician | None = Field(
        default=None,
        description="The clinician who wrote the plan.",
    )
    written: dt.date | None = Field(
        default=None,
        description="The date this version of the plan was written, YYYY-MM-DD; not after today.",
        examples=["2026-01-12"],
    )
    review_by: dt.date | None = Field(
        default=None,
        description=(
            "The date the plan must be reviewed by, YYYY-MM-DD, within the payer's review "
            "cycle (90 days by default) of written or the last review."
        ),
        examples=["2026-04-12"],
    )
    session: Session | None = Field(
        default=None,
        description="The session the plan was made in: date, start and end times, place.",
    )
    diagnoses: list[Diagnosis] = Field(
        default=[],
        description="The client's diagnoses; at least one, with one of role primary.",
    )
    assessment: Assessment | None = Field(
        default=None,
        description="The assessment: presenting problem, history, strengths, impairments, risk.",
    )
    recommendation: Text | None = Field(
        default=None,
        description="The recommended treatment: modality, cadence, referrals, medication.",
        examples=["Weekly individual CBT for GAD for 12 weeks, then reassess."],
    )
    problems: list[Problem] = Field(
        default=[],
        description="The problems treatment addresses, each linked to diagnoses; at least one.",
    )
    goals: list[Goal] = Field(
        default=[],
        description="The goals of treatment, each linked to problems; at least one.",
    )
    interventions: list[Intervention] = Field(
        default=[],
        description="What will be done in treatment, each linked to objectives; at least one.",
    )
    frequency: Frequency | None = Field(
        default=None,
        description=(
            "How often, how long and in what format sessions take place, and for how many "
            "weeks or sessions: sessions, minutes, format, and duration_weeks or "
            "expected_sessions are needed."
        ),
    )
    discharge_criteria: Text | None = Field(
        default=None,
        description="When treatment can end: what the client will have achieved.",
        examples=["GAD-7 below 10 for two consecutive administrations and goals G1-G2 met."],
    )
    safety_plan: SafetyPlan | None = Field(
        default=None,
        description="The safety plan, needed when assessment.risk.level is moderate or high.",
    )
    measures: list[Score] = Field(
        default=[],
        description="Instrument scores over time, one per administration. Empty by default.",
        examples=[[{"instrument": "GAD-7", "date": "2026-01-12", "score": 15}]],
    )
    reviews: list[Review] = Field(
        default=[],
        description="The plan's reviews, oldest first, as txplan review appends them.",
    )
    changes: list[Change] = Field(
        default=[],
        description="Changes to goals, objectives or interventions, each with date, what and why.",
    )
    signatures: Signatures | None = Field(
        default=None,
        description=(
            "Who signed the plan: clinician, client or guardian, and a supervisor if needed."
        ),
    )
