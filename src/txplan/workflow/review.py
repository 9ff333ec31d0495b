"""`txplan review PLAN`: record a plan review in the file.

Appends to `reviews` (date, who, summary, each goal's 0-10 rating and note,
the next review date), updates goal and objective statuses, and rolls
`review_by` forward by the payer's cycle from the review date. Each open
goal's note is drafted from the client's session notes since the last
review (the objectives addressed, how often, the scores) for the clinician
to confirm or edit; a `--note` given wins, and with no notes in that time
nothing is drafted. When the plan's goals, objectives or interventions
changed since the last commit, it requires what changed and why (a
`changes` entry) and resets the signatures' dates: payers require a changed
plan to be signed again.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from txplan.config import Config, ConfigError
from txplan.plan import editor, history
from txplan.plan.model import GoalStatus, ObjectiveStatus, Plan
from txplan.settings.reading import ConfigFinder

if typing.TYPE_CHECKING:
    from txplan.plan.notes.model import Note

GOAL_STATUSES = typing.get_args(GoalStatus)
OBJECTIVE_STATUSES = typing.get_args(ObjectiveStatus)
_OPEN = (None, "not-started", "in-progress")
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
    declined: set[str] = field(default_factory=set)  # goals whose draft note was declined


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
    from txplan.plan.files import cannot_read, read_limited
    from txplan.plan.loader import load_bytes
    from txplan.workflow.lint import Refusal, sound_plan

    try:
        raw = read_limited(path)
    except OSError as exc:
        raise editor.EditError(cannot_read(path, exc)) from None
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


def interview(request: Request, plan: Plan, ask: Ask, drafts: dict[str, str] | None = None) -> None:
    """Ask, on a terminal, for what the options did not give. A goal with a
    draft note is asked for its note whether rated or not: Enter keeps the
    draft, `-` writes none."""
    drafts = drafts or {}

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
            draft = drafts.get(goal.id)
            if draft and goal.id not in request.notes:
                kept = ask(
                    f'{goal.id}: a note on progress (Enter keeps "{draft}"; - for none)', _none
                )
                if kept == "-":
                    request.declined.add(goal.id)
                else:
                    request.notes[goal.id] = kept or draft
            elif answer and goal.id not in request.notes:
                request.notes[goal.id] = ask(f"{goal.id}: a note on progress", _none) or ""
        for objective in goal.objectives:
            if objective.id and objective.status in _OPEN:
                current = objective.status or "no status"

                def valid(text: str) -> str | None:
                    ok = text == "" or text in OBJECTIVE_STATUSES
                    return None if ok else f"one of {', '.join(OBJECTIVE_STATUSES)}"

                answer = ask(f"{objective.id} is {current}; new status (blank to keep)", valid)
                if answer:
                    request.statuses[objective.id] = answer
    if request.summary is None:
        request.summary = ask("Summary of the review", lambda _: None) or None


def _none(_: str) -> str | None:
    return None


# A note's progress quoted in a draft is cut at this many characters.
QUOTE_CHARS = 100


def _quote(text: str) -> str:
    """A note's progress as the draft quotes it: one line, no closing full
    stop, at most QUOTE_CHARS (cut at a word); "" when it holds a placeholder
    (C009 would report it in the plan)."""
    from txplan.plan import placeholders

    text = " ".join(text.split())
    if placeholders.find(text):
        return ""
    if len(text) > QUOTE_CHARS:
        return text[:QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
    return text.rstrip(" .")


def drafts(plan: Plan, notes: Sequence[Note], config: Config, on: dt.date) -> dict[str, str]:
    """Each open goal's progress note drafted from the session notes dated
    after the last review (or `written`) up to `on`, by goal id: e.g.
    "Since 2026-02-01: 3 notes; O1.1 addressed in 2 (latest: Worry log kept
    on 5 of 7 days), O1.2 in 0; GAD-7 15 → 11." Empty when no note falls in
    that time."""
    from txplan.clinical.progress import last_review, since_review

    since = last_review(plan)
    if since is None or on <= since:
        return {}
    window = since_review(plan, notes, config, since, on)
    if window.notes == 0:
        return {}
    out = {}
    for goal in plan.goals:
        if not goal.id or goal.status not in (None, "active"):
            continue
        parts: list[str] = []
        for objective in goal.objectives:
            seen = window.addressed.get(objective.id or "")
            if not objective.id or (seen is None and objective.status not in _OPEN):
                continue
            count = seen.count if seen else 0
            part = f"{objective.id} {'in' if parts else 'addressed in'} {count}"
            quoted = _quote(seen.latest) if seen else ""
            parts.append(f"{part} (latest: {quoted})" if quoted else part)
        scores = [change.text() for change in window.goal_scores(goal, config)]
        held = f"{window.notes} note{'' if window.notes == 1 else 's'}"
        pieces = [f"Since {since.isoformat()}: {held}", ", ".join(parts), ", ".join(scores)]
        out[goal.id] = "; ".join(piece for piece in pieces if piece) + "."
    return out


def _notes_of(request: Request, plan: Plan, config: Config) -> list[Note]:
    from txplan.workflow.notes import client_notes

    if not plan.client.id:
        return []
    return [entry.note for entry in client_notes(request.plan, config, plan.client.id)]


def record(request: Request, ask: Ask | None = None) -> str:
    """Write the review into the plan; return what to tell the clinician."""
    try:
        config = ConfigFinder(Path(request.config) if request.config else None).for_file(
            request.plan
        )
    except ConfigError as exc:
        raise editor.EditError(str(exc)) from None
    plan, seen = _plan_model(request.plan, config)
    drafted = drafts(plan, _notes_of(request, plan, config), config, request.on)
    if ask is not None:
        interview(request, plan, ask, drafted)
    for gid, text in drafted.items():
        if gid not in request.declined:
            request.notes.setdefault(gid, text)  # a note given or answered wins
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
