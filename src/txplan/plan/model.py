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


def _not_true_or_false(value: Any) -> Any:
    # pydantic reads `true` as 1.0: `score: true` would count as a score of 1.
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


Number = Annotated[float, BeforeValidator(_not_true_or_false)]

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
    id: ClientId
    name: Text | None = None
    dob: dt.date | None = None
    pronouns: Text | None = None
    payer: Text | None = None
    member_id: Text | None = None


class Clinician(Part):
    name: Text | None = None
    credentials: Text | None = None
    npi: Npi | None = None


class Session(Part):
    date: dt.date | None = None
    start: ClockTime | None = None
    end: ClockTime | None = None
    place: Place | None = None
    client_location: Text | None = None
    hipaa_platform: bool | None = None


class Diagnosis(Part):
    code: Text | None = None
    name: Text | None = None
    severity: Text | None = None
    role: Role | None = None
    criteria: Text | None = None


class Risk(Part):
    level: RiskLevel | None = None
    notes: Text | None = None


class Assessment(Part):
    presenting_problem: Text | None = None
    history: Text | None = None
    strengths: list[Text] = []
    impairments: list[Text] = []
    risk: Risk | None = None


class Problem(Part):
    id: Text | None = None
    statement: Text | None = None
    diagnoses: list[Text] = []


class ObjectiveMeasure(Part):
    instrument: Text | None = None
    baseline: Number | None = None
    target: Number | None = None


class Objective(Part):
    id: Text | None = None
    statement: Text | None = None
    measure: ObjectiveMeasure | None = None
    target_date: dt.date | None = None
    status: ObjectiveStatus | None = None


class Goal(Part):
    id: Text | None = None
    problems: list[Text] = []
    client_words: Text | None = None
    statement: Text | None = None
    target_date: dt.date | None = None
    status: GoalStatus | None = None
    objectives: list[Objective] = []


class Intervention(Part):
    id: Text | None = None
    statement: Text | None = None
    modality: Text | None = None
    by: Provider | None = None
    objectives: list[Text] = []


class Frequency(Part):
    sessions: Cadence | None = None
    minutes: int | None = Field(default=None, ge=1, le=600)
    format: SessionFormat | None = None
    duration_weeks: int | None = Field(default=None, ge=1)
    expected_sessions: int | None = Field(default=None, ge=1)


class Contact(Part):
    """A person in the safety plan, so a de-identified copy knows every name."""

    name: Text | None = None
    relation: Text | None = None
    phone: Text | None = None


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
    warning_signs: list[Text] = []
    coping: list[Text] = []
    supports: list[SafetyEntry] = []
    crisis_contacts: list[SafetyEntry] = []


class Score(Part):
    instrument: Text | None = None
    date: dt.date | None = None
    score: Number | None = None


class GoalProgress(Part):
    goal: Text | None = None
    rating: int | None = Field(default=None, ge=0, le=10)
    note: Text | None = None


class Review(Part):
    date: dt.date | None = None
    by: Text | None = None
    summary: Text | None = None
    progress: list[GoalProgress] = []
    next_review: dt.date | None = None


class Change(Part):
    date: dt.date | None = None
    what: Text | None = None
    why: Text | None = None


class ClinicianSignature(Part):
    name: Text | None = None
    credentials: Text | None = None
    date: dt.date | None = None


class PersonSignature(Part):
    name: Text | None = None
    date: dt.date | None = None
    method: SignMethod | None = None


class Signatures(Part):
    clinician: ClinicianSignature | None = None
    client: PersonSignature | None = None
    guardian: PersonSignature | None = None
    supervisor: ClinicianSignature | None = None


class Plan(Part):
    txplan: int
    client: Client
    clinician: Clinician | None = None
    written: dt.date | None = None
    review_by: dt.date | None = None
    session: Session | None = None
    diagnoses: list[Diagnosis] = []
    assessment: Assessment | None = None
    recommendation: Text | None = None
    problems: list[Problem] = []
    goals: list[Goal] = []
    interventions: list[Intervention] = []
    frequency: Frequency | None = None
    discharge_criteria: Text | None = None
    safety_plan: SafetyPlan | None = None
    measures: list[Score] = []
    reviews: list[Review] = []
    changes: list[Change] = []
    signatures: Signatures | None = None
