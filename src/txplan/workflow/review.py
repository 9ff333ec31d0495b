"""`txplan review PLAN`: record a plan review in the file.

Appends to `reviews` (date, who, summary, each goal's 0-10 rating and note,
the next review date), updates goal and objective statuses, and rolls
`review_by` forward by the payer's cycle from the review date. When the
plan's goals, objectives or interventions changed since the last commit, it
requires what changed and why (a `changes` entry) and resets the signatures'
dates: payers require a changed plan to be signed again.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from txplan.config import Config, ConfigError
from txplan.plan import editor, history
from txplan.plan.model import GoalStatus, ObjectiveStatus, Plan
from txplan.settings.reading import ConfigFinder

GOAL_STATUSES = typing.get_args(GoalStatus)
OBJECTIVE_STATUSES = typing.get_args(ObjectiveStatus)
Ask = Callable[[str, Callable[[str], str | None]], str]


@dataclass
class Request:
    plan: Path
    on: dt.date
    today: dt.date
    by: str | None = None
    summary: str | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    what: str | None = None
    why: str | None = None
    config: str | None = None


def pairs(values: list[str] | None, option: str) -> dict[str, str]:
    """`["G1=6", "O1.3=met"]` -> {"G1": "6", "O1.3": "met"}."""
    out = {}
    for value in values or []:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise editor.EditError(f"{option}: write ID=VALUE, e.g. {option} G1=6 (got '{value}').")
        out[key.strip()] = rest.strip()
    return out


def _plan_model(path: Path, config: Config) -> tuple[Plan, bytes]:
    """The plan as the review's questions see it, and the bytes it came from.
    A plan with a structural (F) error is refused before anything is asked."""
    from txplan.plan.files import read_limited
    from txplan.plan.loader import load_bytes
    from txplan.workflow.lint import Refusal, sound_plan

    try:
        raw = read_limited(path)
    except OSError as exc:
        raise editor.EditError(f"{path}: cannot read the file ({exc.strerror or exc}).") from None
    try:
        plan: Plan = sound_plan(str(path), load_bytes(raw), config, "before reviewing it")
    except Refusal as exc:
        raise editor.EditError(str(exc)) from None
    return plan, raw


def _check(request: Request, plan: Plan) -> None:
    goals = {g.id for g in plan.goals if g.id}
    objectives = {o.id for g in plan.goals for o in g.objectives if o.id}
    for gid, rating in request.ratings.items():
        if gid not in goals:
            raise editor.EditError(f"--rate: no goal {gid} (goals: {', '.join(sorted(goals))}).")
        if not 0 <= rating <= 10:
            raise editor.EditError(f"--rate {gid}: a rating is 0 to 10, not {rating}.")
    for gid in request.notes:
        if gid not in goals:
            raise editor.EditError(f"--note: no goal {gid} (goals: {', '.join(sorted(goals))}).")
    for item, value in request.statuses.items():
        allowed = (
            GOAL_STATUSES if item in goals else OBJECTIVE_STATUSES if item in objectives else ()
        )
        if not allowed:
            raise editor.EditError(f"--set: no goal or objective {item}.")
        if value not in allowed:
            raise editor.EditError(
                f"--set {item}: write one of {', '.join(allowed)}, not '{value}'."
            )
    if request.on > request.today:
        raise editor.EditError(f"--date {request.on.isoformat()} is in the future.")
    if plan.written and request.on < plan.written:
        raise editor.EditError(f"--date {request.on.isoformat()} is before the plan was written.")


def interview(request: Request, plan: Plan, ask: Ask) -> None:
    """Ask, on a terminal, for what the options did not give."""

    def rating(text: str) -> str | None:
        if text == "":
            return None
        return (
            None
            if text.isdigit() and 0 <= int(text) <= 10
            else "a rating is a whole number 0 to 10"
        )

    for goal in plan.goals:
        if goal.id and goal.status in (None, "active") and goal.id not in request.ratings:
            answer = ask(f"{goal.id} {goal.statement or ''}: progress 0-10 (blank to skip)", rating)
            if answer:
                request.ratings[goal.id] = int(answer)
                request.notes[goal.id] = ask(f"{goal.id}: a note on progress", lambda _: None) or ""
        for objective in goal.objectives:
            if objective.id and objective.status in (None, "not-started", "in-progress"):
                current = objective.status or "no status"

                def valid(text: str) -> str | None:
                    ok = text == "" or text in OBJECTIVE_STATUSES
                    return None if ok else f"one of {', '.join(OBJECTIVE_STATUSES)}"

                answer = ask(f"{objective.id} is {current}; new status (blank to keep)", valid)
                if answer:
                    request.statuses[objective.id] = answer
    if request.summary is None:
        request.summary = ask("Summary of the review", lambda _: None) or None


def record(request: Request, ask: Ask | None = None) -> str:
    """Write the review into the plan; return what to tell the clinician."""
    try:
        config = ConfigFinder(Path(request.config) if request.config else None).for_file(
            request.plan
        )
    except ConfigError as exc:
        raise editor.EditError(str(exc)) from None
    plan, seen = _plan_model(request.plan, config)
    if ask is not None:
        interview(request, plan, ask)
    _check(request, plan)
    changed = _content_changed(request.plan, seen)
    if changed:
        if ask is not None and not (request.what and request.why):
            request.what = request.what or ask(f"What changed ({'; '.join(changed)})", _needed)
            request.why = request.why or ask("Why", _needed)
        if not (request.what and request.why):
            raise editor.EditError(
                f"since the last commit: {'; '.join(changed)}. Say what changed and why with "
                "--what and --why; the plan will need signing again."
            )
    try:
        next_review = request.on + dt.timedelta(days=config.review_cycle(plan.client.payer))
    except OverflowError:
        raise editor.EditError(
            f"the review of {request.on.isoformat()} would set the next one after "
            f"{dt.date.max.isoformat()}, the last date there is; check the review date."
        ) from None
    # The questions took their time: the lock is taken only now, and the plan
    # must still be the one the answers were given about.
    from txplan.workflow.lint import refusing_unsound

    with editor.editing(request.plan, refusing_unsound(config)) as document:
        if document.original != seen:
            raise editor.ChangedOnDisk(
                f"{request.plan} changed on disk while txplan was asking about it; nothing "
                "was written. Run the command again."
            )
        _apply(document, request, plan, config, next_review, changed)
        editor.save(document)
    lines = [f"Recorded the review of {request.on.isoformat()} in {request.plan}."]
    if request.statuses:
        lines.append(
            "Statuses: " + ", ".join(f"{k} → {v}" for k, v in request.statuses.items()) + "."
        )
    if changed:
        lines.append(
            "The plan changed, so its signatures were reset: sign it again with the client."
        )
    lines.append(f"Next review by {next_review.isoformat()}.")
    return "\n".join(lines)


def _needed(text: str) -> str | None:
    return None if text.strip() else "this is needed: the plan changed since the last commit"


def _content_changed(path: Path, current: bytes) -> list[str]:
    before = history.committed([path]).get(path)
    if before is None:
        return []
    old, new = history.load(before), history.load(current)
    if len(new.get("changes") or []) > len(old.get("changes") or []):
        return []  # already explained by hand
    return history.content_changes(old, new)


def _apply(
    document: editor.Document,
    request: Request,
    plan: Plan,
    config: Config,
    next_review: dt.date,
    changed: list[str],
) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = document.data
    for goal in data.get("goals") or []:
        if goal.get("id") in request.statuses:
            editor.set_value(goal, "status", request.statuses[goal["id"]])
        for objective in goal.get("objectives") or []:
            if objective.get("id") in request.statuses:
                editor.set_value(objective, "status", request.statuses[objective["id"]])
    entry = CommentedMap()
    # set_value, never `entry["date"] = request.on`: the change entry below
    # takes the same date, and one object in two places is written as an alias.
    editor.set_value(entry, "date", request.on)
    entry["by"] = request.by or _signer(plan)
    if request.summary:
        entry["summary"] = request.summary
    rated = sorted(set(request.ratings) | set(request.notes))
    if rated:
        items = CommentedSeq()
        for gid in rated:
            item = CommentedMap()
            item["goal"] = gid
            if gid in request.ratings:
                item["rating"] = request.ratings[gid]
            if request.notes.get(gid):
                item["note"] = request.notes[gid]
            item.fa.set_flow_style()
            items.append(item)
        entry["progress"] = items
    editor.set_value(entry, "next_review", next_review)
    editor.append(data, "reviews", entry)
    editor.set_value(data, "review_by", next_review)
    if changed:
        change = CommentedMap()
        editor.set_value(change, "date", request.on)
        change["what"] = request.what
        change["why"] = request.why
        editor.append(data, "changes", change, flow_items=True)
        for signature in (data.get("signatures") or {}).values():
            if isinstance(signature, dict) and "date" in signature:
                del signature["date"]


def _signer(plan: Plan) -> str:
    clinician = plan.clinician
    if clinician and clinician.name:
        return (
            f"{clinician.name}, {clinician.credentials}"
            if clinician.credentials
            else clinician.name
        )
    return "the treating clinician"
