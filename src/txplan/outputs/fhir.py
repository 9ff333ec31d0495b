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
from txplan.plan.model import Plan

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
    client_id = plan.client.id
    redactor = deidentify.for_plan(plan) if redact else None

    def text(value: str) -> str:
        return redactor.text(value) if redactor else value

    def day(value: dt.date) -> str:
        return str(value.year) if redact else value.isoformat()

    def urn(*key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '|'.join((client_id, *key)))}"

    entries: list[dict[str, Any]] = []

    def add(full_url: str, resource: dict[str, Any]) -> dict[str, str]:
        resource["id"] = full_url.removeprefix("urn:uuid:")
        entries.append({"fullUrl": full_url, "resource": resource})
        return {"reference": full_url}

    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": CLIENT_ID, "value": client_id}],
    }
    if not redact:
        if plan.client.member_id:
            patient["identifier"].append({"system": MEMBER_ID, "value": plan.client.member_id})
        if plan.client.name:
            patient["name"] = [{"text": plan.client.name}]
        if plan.client.dob:
            patient["birthDate"] = plan.client.dob.isoformat()
    elif plan.client.dob:
        year = deidentify.birth_year(plan.client.dob, plan.written or today or dt.date.today())
        if year.isdigit():  # an age over 89 keeps no birth year at all
            patient["birthDate"] = year
    subject = add(urn("Patient"), patient)

    practitioner = None
    clinician = plan.clinician
    if clinician and (clinician.name or clinician.npi):
        resource: dict[str, Any] = {"resourceType": "Practitioner"}
        if not redact:
            if clinician.name:
                resource["name"] = [{"text": clinician.name}]
            if clinician.npi:
                resource["identifier"] = [{"system": NPI, "value": clinician.npi}]
        if clinician.credentials:
            resource["qualification"] = [{"code": {"text": text(clinician.credentials)}}]
        practitioner = add(urn("Practitioner"), resource)

    conditions: dict[str, dict[str, str]] = {}
    for diagnosis in plan.diagnoses:
        code = icd.canonical_spelling(diagnosis.code or "") or (diagnosis.code or "")
        if not code:
            continue
        info = icd.lookup(code)
        title = text(diagnosis.name) if diagnosis.name else (info.title if info else None)
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
            condition["note"] = [{"text": text(diagnosis.criteria)}]
        conditions[code] = add(urn("Condition", code), condition)

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
            text(goal.statement) if goal.statement else goal.id or "goal",
            lifecycle,
            achievement,
            subject,
            addresses,
            day(goal.target_date) if goal.target_date else None,
            None,
        )
        goal_ref = add(urn("Goal", goal.id or str(len(goal_refs))), goal_resource)
        goal_refs.append(goal_ref)
        for objective in goal.objectives:
            lifecycle, achievement = OBJECTIVE_STATUS.get(objective.status, ("active", None))
            target = None
            measure = objective.measure
            if measure and measure.instrument and measure.target is not None:
                found = instruments.find(measure.instrument, config)
                target = {
                    "measure": (
                        _codeable(LOINC, found.loinc, f"{found.name} total score")
                        if found and found.loinc
                        else {"text": text(measure.instrument)}
                    ),
                    "detailQuantity": {
                        "value": measure.target,
                        "unit": "{score}",
                        "system": "http://unitsofmeasure.org",
                        "code": "{score}",
                    },
                }
            resource = _goal(
                text(objective.statement) if objective.statement else objective.id or "objective",
                lifecycle,
                achievement,
                subject,
                addresses,
                day(objective.target_date) if objective.target_date else None,
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
            ref = add(urn("Goal", objective.id or f"{goal.id}-{len(objective_refs)}"), resource)
            objective_refs[objective.id or ""] = ref
            goal_refs.append(ref)

    activities = []
    for intervention in plan.interventions:
        detail: dict[str, Any] = {
            "status": "in-progress",
            "description": (
                text(intervention.statement)
                if intervention.statement
                else intervention.id or "intervention"
            ),
        }
        served = [objective_refs[o] for o in intervention.objectives if o in objective_refs]
        if served:
            detail["goal"] = served
        activities.append({"detail": detail})

    all_closed = plan.goals and all(
        g.status in ("met", "discontinued", "not-met") for g in plan.goals
    )
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "completed" if all_closed else "active",
        "intent": "plan",
        "title": f"Treatment plan {client_id}",
        "subject": subject,
        "addresses": list(conditions.values()),
        "goal": goal_refs,
        "activity": activities,
    }
    if plan.written or plan.review_by:
        careplan["period"] = {
            k: day(v) for k, v in (("start", plan.written), ("end", plan.review_by)) if v
        }
    if practitioner:
        careplan["author"] = practitioner
    if plan.written:
        careplan["created"] = day(plan.written)
    add(urn("CarePlan"), careplan)

    for i, score in enumerate(plan.measures):
        if not (score.instrument and score.date and score.score is not None):
            continue
        found = instruments.find(score.instrument, config)
        observed = (
            _codeable(LOINC, found.loinc, f"{found.name} total score")
            if found and found.loinc
            else {"text": found.name if found else text(score.instrument)}
        )
        add(
            urn("Observation", str(i)),
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
                "effectiveDateTime": day(score.date),
                "valueQuantity": {
                    "value": score.score,
                    "unit": "{score}",
                    "system": "http://unitsofmeasure.org",
                    "code": "{score}",
                },
            },
        )

    result: dict[str, Any] = {"resourceType": "Bundle"}
    if redact:
        result["meta"] = {"security": [REDACTED]}
    result.update({"type": "collection", "entry": entries})
    return result


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
