"""The report's figures, counted from `due`'s rows, lint's findings and each
plan's gleaned facts (txplan.workflow.report.gleaning)."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from txplan.findings import Finding, Severity
from txplan.workflow.report.gleaning import (
    LATE,
    ON_TIME,
    UNSIGNED,
    UNSIGNED_LATE,
    PlanFacts,
)

if TYPE_CHECKING:
    from txplan.workflow.due import MeasureRow, Row

# Review figures: due within this many days (and not yet overdue).
REVIEW_WINDOWS = (7, 30)
MOST_ERRORS = 10
NO_CLINICIAN = "(no clinician named)"
NO_PAYER = "(no payer named)"
NO_PLAN = "(no plan for the client)"  # a note whose client has no plan here


def own_notes(plan: PlanFacts, seen: set[str]) -> PlanFacts:
    """`plan` with only the notes no plan before it has (`seen`, their
    absolute paths, grows): a client's notes count once, under the first
    of the client's plans."""
    import dataclasses

    mine = []
    for note in plan.notes:
        where = os.path.abspath(note[0])
        if where not in seen:
            seen.add(where)
            mine.append(note)
    return plan if len(mine) == len(plan.notes) else dataclasses.replace(plan, notes=mine)


def owners(
    listed: dict[str, Row], facts: list[PlanFacts], where: Callable[[str], str]
) -> dict[str, Row]:
    """Each plan file and each of its client's notes, by `where` (its
    absolute path), to the plan's row (txplan.workflow.due.Row)."""
    out = dict(listed)
    for plan in facts:
        for note in plan.notes:
            out.setdefault(where(note[0]), listed[where(plan.file)])
    return out


def _name(value: str, missing: str) -> str:
    return value or missing


def caseload(rows: list[Row], facts: list[PlanFacts]) -> dict[str, Any]:
    clinicians = Counter(_name(r.clinician, NO_CLINICIAN) for r in rows)
    payers = Counter(_name(r.payer, NO_PAYER) for r in rows)
    return {
        "plans": len(rows),
        "clients": len({r.client_id for r in rows}),
        "clinicians": len({r.clinician for r in rows if r.clinician}),
        "payers": len({r.payer for r in rows if r.payer}),
        "notes": sum(len(p.notes) for p in facts),
        "by_clinician": dict(sorted(clinicians.items())),
        "by_payer": dict(sorted(payers.items())),
    }


def review_counts(rows: Iterable[Any]) -> dict[str, int]:
    """How many plans are overdue and due within each window (txplan.workflow.due rows)."""
    rows = list(rows)
    out = {"plans": len(rows), "overdue": sum(r.state == "overdue" for r in rows)}
    for days in REVIEW_WINDOWS:
        out[f"due_{days}"] = sum(r.days_left is not None and 0 <= r.days_left <= days for r in rows)
    out["no_review_date"] = sum(r.review_by is None for r in rows)
    return out


def reviews(rows: list[Row]) -> dict[str, Any]:
    by_clinician: dict[str, list[Row]] = defaultdict(list)
    by_payer: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_clinician[_name(row.clinician, NO_CLINICIAN)].append(row)
        by_payer[_name(row.payer, NO_PAYER)].append(row)
    return {
        **review_counts(rows),
        "by_clinician": {k: review_counts(v) for k, v in sorted(by_clinician.items())},
        "by_payer": {k: review_counts(v) for k, v in sorted(by_payer.items())},
        "overdue_plans": [
            {
                "client_id": r.client_id,
                "file": r.file,
                "clinician": _name(r.clinician, NO_CLINICIAN),
                "review_by": r.review_by.isoformat() if r.review_by else None,
                "days_overdue": -r.days_left if r.days_left is not None else None,
            }
            for r in rows
            if r.state == "overdue"
        ],
    }


def _severities(findings: Iterable[Finding]) -> dict[str, int]:
    errors = warnings = 0
    for f in findings:
        if f.severity is Severity.ERROR:
            errors += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
    return {"errors": errors, "warnings": warnings}


def quality(
    findings: list[Finding], plans: list[Row], owner_of: dict[str, Row | None]
) -> dict[str, Any]:
    from txplan.outputs.rule_docs import FAMILIES

    by_family: dict[str, list[Finding]] = defaultdict(list)
    by_code: dict[str, list[Finding]] = defaultdict(list)
    by_plan: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_family[f.code[:1]].append(f)
        by_code[f.code].append(f)
        plan = owner_of[f.file]
        if plan is not None and plan.file == f.file:  # the plan's own, not its notes'
            by_plan[plan.file].append(f)
    return {
        **_severities(findings),
        "plans": len(plans),
        "plans_with_errors": sum(
            any(f.severity is Severity.ERROR for f in found) for found in by_plan.values()
        ),
        "by_family": {
            family: {"name": FAMILIES[family], **_severities(by_family[family])}
            for family in FAMILIES
            if family in by_family
        },
        "by_code": [
            {
                "code": code,
                "name": found[0].name,
                **_severities(found),
                "files": len({f.file for f in found}),
            }
            for code, found in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "by_clinician": _quality_by_clinician(plans, by_plan),
        "most_errors": _most_errors(plans, by_plan),
    }


def _quality_by_clinician(
    plans: list[Row], by_plan: dict[str, list[Finding]]
) -> dict[str, dict[str, Any]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for p in plans:
        grouped[_name(p.clinician, NO_CLINICIAN)].append(p)
    out = {}
    for who, own in sorted(grouped.items()):
        counts = _severities(f for p in own for f in by_plan.get(p.file, []))
        out[who] = {
            "plans": len(own),
            **counts,
            "errors_per_plan": round(counts["errors"] / len(own), 2),
        }
    return out


def _most_errors(plans: list[Row], by_plan: dict[str, list[Finding]]) -> list[Any]:
    ranked = []
    for p in plans:
        counts = _severities(by_plan.get(p.file, []))
        if counts["errors"]:
            ranked.append((p, counts))
    ranked.sort(key=lambda pc: (-pc[1]["errors"], -pc[1]["warnings"], pc[0].client_id))
    return [
        {
            "client_id": p.client_id,
            "file": p.file,
            "clinician": _name(p.clinician, NO_CLINICIAN),
            **counts,
        }
        for p, counts in ranked[:MOST_ERRORS]
    ]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def measurement(rows: list[MeasureRow], plans: list[PlanFacts]) -> dict[str, Any]:
    from txplan.clinical.outcomes import outcome

    chosen = {p.file for p in plans}
    instruments: dict[str, dict[str, Any]] = {}
    due_by: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        if row.file in chosen:
            due_by[row.instrument]["clients"].add(row.client_id)
            if row.last_score is not None and row.state in ("scheduled", "due soon"):
                due_by[row.instrument]["on_time"].add(row.client_id)
    changes: dict[str, list[Any]] = defaultdict(list)
    for p in plans:
        for name, first, latest, count, _, _ in p.scores:
            if count > 1:
                changes[name].append(outcome(name, first, latest))
    for name in sorted(set(due_by) | set(changes)):
        clients = len(due_by[name]["clients"])
        on_time = len(due_by[name]["on_time"])
        found = changes.get(name, [])
        entry: dict[str, Any] = {
            "clients_due": clients,
            "measured_on_time": on_time,
            "share_on_time": _share(on_time, clients),
            "clients_with_change": len(found),
        }
        for key, attr in (
            ("response", "responded"),
            ("remission", "remitted"),
            ("reliable_improvement", "reliably_improved"),
        ):
            counted = [getattr(o, attr) for o in found if getattr(o, attr) is not None]
            entry[key] = {
                "clients": len(counted),
                "met": sum(counted),
                "share": _share(sum(counted), len(counted)),
            }
        instruments[name] = entry
    states: Counter[str] = Counter()
    for p in plans:
        states.update(p.objectives)
    objectives = {
        "with_target": sum(states.values()),
        "met": states["met"],
        "on_track": states["on track"],
        "behind": states["behind"],
        "stalled": states["stale"],
        "no_score_yet": states["no score yet"],
    }
    return {"instruments": instruments, "objectives": objectives}


def notes(
    plans: list[PlanFacts],
    findings: list[Finding],
    owner_of: dict[str, Row | None],
    since: dt.date | None,
) -> dict[str, Any] | None:
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for p in plans:
        for _, when, state in p.notes:
            if since is None or (when is not None and dt.date.fromisoformat(when) >= since):
                counted[_name(p.clinician, NO_CLINICIAN)][state] += 1
    if not counted and not any(f.code == "N003" for f in findings):
        return None
    coded: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        if f.code in ("N003", "N007"):
            plan = owner_of[f.file]
            who = NO_PLAN if plan is None else _name(plan.clinician, NO_CLINICIAN)
            coded[who][f.code] += 1
    by_clinician = {}
    for who in sorted(set(counted) | set(coded)):
        states = counted[who]
        judged = states[ON_TIME] + states[LATE] + states[UNSIGNED_LATE]
        by_clinician[who] = {
            "notes": sum(states.values()),
            "signed_on_time": states[ON_TIME],
            "signed_late": states[LATE],
            "unsigned_past_limit": states[UNSIGNED_LATE],
            "unsigned_within_limit": states[UNSIGNED],
            "share_on_time": _share(states[ON_TIME], judged),
            "objectives_neglected": coded[who]["N007"],
            "sessions_without_plan_in_force": coded[who]["N003"],
        }
    counts = [key for key in next(iter(by_clinician.values())) if key != "share_on_time"]
    totals: dict[str, Any] = {
        key: sum(entry[key] for entry in by_clinician.values()) for key in counts
    }
    judged = totals["signed_on_time"] + totals["signed_late"] + totals["unsigned_past_limit"]
    totals["share_on_time"] = _share(totals["signed_on_time"], judged)
    return {**totals, "by_clinician": by_clinician}
