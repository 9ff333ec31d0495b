"""`txplan export --fhir`: the plan as a FHIR R4 Bundle.

Patient, Practitioner, a Condition per diagnosis, a CarePlan, a Goal per goal
and per objective (objectives link to their goal with the goal-relationship
extension, as milestones), and an Observation per score. Built as plain
JSON-ready dicts; the optional extra `txplan[fhir]` (fhir.resources) is what
the tests validate them with. Ids are UUIDs derived from the client ID, so
exporting the same plan twice gives the same Bundle.

`redact` de-identifies the Bundle the way `txplan render --redact` does
(txplan.outputs.redact, after HHS, *Guidance Regarding Methods for De-identification
of Protected Health Information*): no name, member ID or NPI, every date cut
to its year (FHIR's `date` and `dateTime` allow a year alone), free text with
its identifiers replaced by labels, the client ID kept; the Bundle carries
the REDACTED security label.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from txplan.clinical import icd, instruments
from txplan.config import Config
from txplan.outputs import redact as deidentify
from txplan.plan.model import Objective, Plan

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
NPI = "http://hl7.org/fhir/sid/us-npi"
CLIENT_ID = "urn:txplan:client-id"
MEMBER_ID = "urn:txplan:member-id"
GOAL_RELATIONSHIP = "http://hl7.org/fhir/StructureDefinition/goal-relationship"
_NAMESPACE = uuid.UUID("6f1c1a0e-3b0e-5c1e-9a52-7478706c616e")  # txplan's own

# (lifecycleStatus, achievementStatus code) per plan status
GOAL_STATUS = {
    None: ("active", None),
    "active": ("active", "in-progress"),
    "met": ("completed", "achieved"),
    "partially-met": ("active", "improving"),
    "not-met": ("completed", "not-achieved"),
    "revised": ("active", "in-progress"),
    "discontinued": ("cancelled", None),
    "deferred": ("on-hold", None),
}
OBJECTIVE_STATUS = {
    None: ("planned", None),
    "not-started": ("planned", None),
    "in-progress": ("active", "in-progress"),
    "met": ("completed", "achieved"),
    "not-met": ("completed", "not-achieved"),
    "revised": ("active", "in-progress"),
    "discontinued": ("cancelled", None),
}
VERIFICATION = {"rule-out": "provisional", "historical": "confirmed"}


def _codeable(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


REDACTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "REDACTED",
    "display": "redacted",
}


def bundle(
    plan: Plan, config: Config, redact: bool = False, today: dt.date | None = None
) -> dict[str, Any]:
    export = _Export(plan, config, redact, today)
    subject = export.add(export.urn("Patient"), _patient(export))
    practitioner = _practitioner(export)
    conditions = _conditions(export, subject)
    goal_refs, objective_refs = _goals(export, subject, conditions)
    export.add(
        export.urn("CarePlan"),
        _careplan(export, subject, conditions, goal_refs, objective_refs, practitioner),
    )
    _observations(export, subject)
    result: dict[str, Any] = {"resourceType": "Bundle"}
    if redact:
        result["meta"] = {"security": [REDACTED]}
    result.update({"type": "collection", "entry": export.entries})
    return result


class _Export:
    """One Bundle being built: its entries, and how text, dates and ids are written
    (redacted or not) so every resource builder writes them the same way."""

    def __init__(self, plan: Plan, config: Config, redact: bool, today: dt.date | None) -> None:
        self.plan = plan
        self.config = config
        self.redact = redact
        self.today = today
        self.redactor = deidentify.for_plan(plan) if redact else None
        self.entries: list[dict[str, Any]] = []

    def text(self, value: str) -> str:
        return self.redactor.text(value) if self.redactor else value

    def day(self, value: dt.date) -> str:
        return str(value.year) if self.redact else value.isoformat()

    def urn(self, *key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '|'.join((self.plan.client.id, *key)))}"

    def add(self, full_url: str, resource: dict[str, Any]) -> dict[str, str]:
        resource["id"] = full_url.removeprefix("urn:uuid:")
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return {"reference": full_url}


def _patient(export: _Export) -> dict[str, Any]:
    client = export.plan.client
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": CLIENT_ID, "value": client.id}],
    }
    if not export.redact:
        if client.member_id:
            patient["identifier"].append({"system": MEMBER_ID, "value": client.member_id})
        if client.name:
            patient["name"] = [{"text": client.name}]
        if client.dob:
            patient["birthDate"] = client.dob.isoformat()
    elif client.dob:
        year = deidentify.birth_year(
            client.dob, export.plan.written or export.today or dt.date.today()
        )
        if year.isdigit():  # an age over 89 keeps no birth year at all
            patient["birthDate"] = year
    return patient


def _practitioner(export: _Export) -> dict[str, str] | None:
    """The Practitioner entry, added when the plan names its clinician."""
    clinician = export.plan.clinician
    if not (clinician and (clinician.name or clinician.npi)):
        return None
    resource: dict[str, Any] = {"resourceType": "Practitioner"}
    if not export.redact:
        if clinician.name:
            resource["name"] = [{"text": clinician.name}]
        if clinician.npi:
            resource["identifier"] = [{"system": NPI, "value": clinician.npi}]
    if clinician.credentials:
        resource["qualification"] = [{"code": {"text": export.text(clinician.credentials)}}]
    return export.add(export.urn("Practitioner"), resource)


def _conditions(export: _Export, subject: dict[str, str]) -> dict[str, dict[str, str]]:
    """A Condition entry per coded diagnosis, by ICD-10-CM code."""
    conditions: dict[str, dict[str, str]] = {}
    for diagnosis in export.plan.diagnoses:
        code = icd.canonical_spelling(diagnosis.code or "") or (diagnosis.code or "")
        if not code:
            continue
        info = icd.lookup(code)
        title = export.text(diagnosis.name) if diagnosis.name else (info.title if info else None)
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": _codeable(
                "http://terminology.hl7.org/CodeSystem/condition-clinical",
                "resolved" if diagnosis.role == "historical" else "active",
            ),
            "verificationStatus": _codeable(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                VERIFICATION.get(diagnosis.role or "", "confirmed"),
            ),
            "category": [
                _codeable(
                    "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item"
                )
            ],
            "code": {**_codeable(ICD10CM, code, title), "text": title or code},
            "subject": subject,
        }
        if diagnosis.criteria:
            condition["note"] = [{"text": export.text(diagnosis.criteria)}]
        conditions[code] = export.add(export.urn("Condition", code), condition)
    return conditions


def _goals(
    export: _Export, subject: dict[str, str], conditions: dict[str, dict[str, str]]
) -> tuple[list[dict[str, str]], dict[str, dict[str, str]]]:
    """A Goal entry per goal, each followed by its objectives' Goal entries; returns
    the references of all of them, and of the objectives by objective ID."""
    plan = export.plan
    problem_codes = {
        p.id: [icd.canonical_spelling(c) or c for c in p.diagnoses] for p in plan.problems if p.id
    }
    goal_refs: list[dict[str, str]] = []
    objective_refs: dict[str, dict[str, str]] = {}
    for goal in plan.goals:
        addresses = [
            conditions[c]
            for pid in goal.problems
            for c in problem_codes.get(pid, [])
            if c in conditions
        ]
        lifecycle, achievement = GOAL_STATUS.get(goal.status, ("active", None))
        goal_resource = _goal(
            export.text(goal.statement) if goal.statement else goal.id or "goal",
            lifecycle,
            achievement,
            subject,
            addresses,
            export.day(goal.target_date) if goal.target_date else None,
            None,
        )
        goal_ref = export.add(export.urn("Goal", goal.id or str(len(goal_refs))), goal_resource)
        goal_refs.append(goal_ref)
        for objective in goal.objectives:
            resource = _objective(export, objective, subject, addresses, goal_ref)
            key = objective.id or f"{goal.id}-{len(objective_refs)}"
            ref = export.add(export.urn("Goal", key), resource)
            objective_refs[objective.id or ""] = ref
            goal_refs.append(ref)
    return goal_refs, objective_refs


def _objective(
    export: _Export,
    objective: Objective,
    subject: dict[str, str],
    addresses: list[dict[str, str]],
    goal_ref: dict[str, str],
) -> dict[str, Any]:
    """An objective as a Goal, a milestone of its goal, with its measure's target."""
    lifecycle, achievement = OBJECTIVE_STATUS.get(objective.status, ("active", None))
    target = None
    measure = objective.measure
    if measure and measure.instrument and measure.target is not None:
        found = instruments.find(measure.instrument, export.config)
        target = {
            "measure": (
                _codeable(LOINC, found.loinc, f"{found.name} total score")
                if found and found.loinc
                else {"text": export.text(measure.instrument)}
            ),
            "detailQuantity": _score(measure.target),
        }
    resource = _goal(
        export.text(objective.statement) if objective.statement else objective.id or "objective",
        lifecycle,
        achievement,
        subject,
        addresses,
        export.day(objective.target_date) if objective.target_date else None,
        target,
    )
    resource["extension"] = [
        {
            "url": GOAL_RELATIONSHIP,
            "extension": [
                {
                    "url": "type",
                    "valueCodeableConcept": _codeable(
                        "http://hl7.org/fhir/goal-relationship-type", "milestone"
                    ),
                },
                {"url": "target", "valueReference": goal_ref},
            ],
        }
    ]
    return resource


def _careplan(
    export: _Export,
    subject: dict[str, str],
    conditions: dict[str, dict[str, str]],
    goal_refs: list[dict[str, str]],
    objective_refs: dict[str, dict[str, str]],
    practitioner: dict[str, str] | None,
) -> dict[str, Any]:
    plan = export.plan
    all_closed = plan.goals and all(
        g.status in ("met", "discontinued", "not-met") for g in plan.goals
    )
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "completed" if all_closed else "active",
        "intent": "plan",
        "title": f"Treatment plan {plan.client.id}",
        "subject": subject,
        "addresses": list(conditions.values()),
        "goal": goal_refs,
        "activity": _activities(export, objective_refs),
    }
    if plan.written or plan.review_by:
        careplan["period"] = {
            k: export.day(v) for k, v in (("start", plan.written), ("end", plan.review_by)) if v
        }
    if practitioner:
        careplan["author"] = practitioner
    if plan.written:
        careplan["created"] = export.day(plan.written)
    return careplan


def _activities(export: _Export, objective_refs: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The CarePlan's activities: one per intervention, linked to the objectives it serves."""
    activities = []
    for intervention in export.plan.interventions:
        detail: dict[str, Any] = {
            "status": "in-progress",
            "description": (
                export.text(intervention.statement)
                if intervention.statement
                else intervention.id or "intervention"
            ),
        }
        served = [objective_refs[o] for o in intervention.objectives if o in objective_refs]
        if served:
            detail["goal"] = served
        activities.append({"detail": detail})
    return activities


def _observations(export: _Export, subject: dict[str, str]) -> None:
    """An Observation entry per complete score (instrument, date and score)."""
    for i, score in enumerate(export.plan.measures):
        if not (score.instrument and score.date and score.score is not None):
            continue
        found = instruments.find(score.instrument, export.config)
        observed = (
            _codeable(LOINC, found.loinc, f"{found.name} total score")
            if found and found.loinc
            else {"text": found.name if found else export.text(score.instrument)}
        )
        export.add(
            export.urn("Observation", str(i)),
            {
                "resourceType": "Observation",
                "status": "final",
                "category": [
                    _codeable(
                        "http://terminology.hl7.org/CodeSystem/observation-category", "survey"
                    )
                ],
                "code": observed,
                "subject": subject,
                "effectiveDateTime": export.day(score.date),
                "valueQuantity": _score(score.score),
            },
        )


def _score(value: Any) -> dict[str, Any]:
    """A score as a FHIR Quantity in UCUM's unit for a score."""
    return {
        "value": value,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }


def _goal(
    text: str,
    lifecycle: str,
    achievement: str | None,
    subject: dict[str, str],
    addresses: list[dict[str, str]],
    due: str | None,
    target: dict[str, Any] | None,
) -> dict[str, Any]:
    goal: dict[str, Any] = {
        "resourceType": "Goal",
        "lifecycleStatus": lifecycle,
        "description": {"text": text},
        "subject": subject,
    }
    if achievement:
        goal["achievementStatus"] = _codeable(
            "http://terminology.hl7.org/CodeSystem/goal-achievement", achievement
        )
    if addresses:
        goal["addresses"] = addresses
    if target or due:
        entry: dict[str, Any] = dict(target or {})
        if due:
            entry["dueDate"] = due
        goal["target"] = [entry]
    return goal
