"""`txplan status`: each objective's progress, and a caseload summary line."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from txplan.clinical import progress
from txplan.plan.discover import read_each
from txplan.settings.reading import ConfigFinder

OPEN = {None, "not-started", "in-progress"}


@dataclass(frozen=True)
class Line:
    objective_id: str
    state: str  # met | on track | behind | stale | no score yet | open | closed
    text: str
    chart: str = ""


@dataclass(frozen=True)
class PlanStatus:
    file: str
    client_id: str
    review_by: dt.date | None
    lines: tuple[Line, ...]


def collect(
    paths: Iterable[str], today: dt.date, config_override: str | None = None
) -> tuple[list[PlanStatus], list[str]]:
    from txplan.plan.validate import plan_of

    finder = ConfigFinder(Path(config_override) if config_override else None)
    out: list[PlanStatus] = []
    problems: list[str] = []
    for name, path, loaded in read_each(paths, problems, _with_bar):
        plan = plan_of(loaded)
        if plan is None:
            problems.append(f"{name}: not a readable plan; run `txplan lint {name}`.")
            continue
        config = finder.for_file(path)
        measured = {id(p.objective): p for p in progress.plan_progress(plan, config, today)}
        lines = []
        for goal in plan.goals:
            for objective in goal.objectives:
                p = measured.get(id(objective))
                lines.append(_line(objective, p, today))
        out.append(PlanStatus(name, plan.client.id, plan.review_by, tuple(lines)))
    return out, problems


def _line(objective: Any, p: progress.Progress | None, today: dt.date) -> Line:
    oid = objective.id or "?"
    if p is not None:
        return Line(oid, p.state, progress.describe(p), p.sparkline())
    due = objective.target_date
    if objective.status in OPEN and due and due < today:
        state = "stale"
    elif objective.status in OPEN:
        state = "open"
    else:
        state = "met" if objective.status == "met" else "closed"
    shown = objective.status or "no status"
    when = f", due {due.isoformat()}" if due else ""
    return Line(oid, state, f"{oid} {shown}{when} (no instrument target): {state}")


def summary(plans: list[PlanStatus], today: dt.date) -> str:
    counts = Counter(line.state for plan in plans for line in plan.lines)
    total = sum(counts.values())
    order = ["on track", "behind", "met", "stale", "no score yet", "open", "closed"]
    parts = [f"{counts[s]} {s}" for s in order if counts[s]]
    overdue = sum(1 for p in plans if p.review_by and p.review_by < today)
    noun = "review" if overdue == 1 else "reviews"
    return (
        f"{len(plans)} plan{'s' if len(plans) != 1 else ''}, {total} objectives: "
        f"{', '.join(parts) or 'none'}; {overdue} {noun} overdue."
    )


_STYLE = {"behind": "red", "stale": "yellow", "met": "green", "on track": "cyan"}


def as_text(plans: list[PlanStatus], today: dt.date, color: bool, out: Any) -> None:
    lines = []
    for plan in plans:
        review = f"review by {plan.review_by.isoformat()}" if plan.review_by else "no review date"
        lines.append((f"{plan.client_id}  {plan.file}  ({review})", "bold"))
        for line in plan.lines:
            chart = f"  {line.chart}" if line.chart else ""
            lines.append((f"  {line.text}{chart}", _STYLE.get(line.state, "")))
    lines.append((summary(plans, today), "bold"))
    from txplan.outputs.terminal import clean

    lines = [(clean(text), style) for text, style in lines]
    if color:
        from rich.console import Console
        from rich.text import Text

        console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)
        for text, style in lines:
            console.print(Text(text, style=style))
    else:
        out.write("\n".join(text for text, _ in lines) + "\n")


def as_json(plans: list[PlanStatus], today: dt.date) -> str:
    return json.dumps(
        {
            "version": 1,
            "today": today.isoformat(),
            "plans": [
                {
                    "file": p.file,
                    "client_id": p.client_id,
                    "review_by": p.review_by.isoformat() if p.review_by else None,
                    "objectives": [
                        {"id": line.objective_id, "state": line.state, "text": line.text}
                        for line in p.lines
                    ],
                }
                for p in plans
            ],
            "summary": summary(plans, today),
        },
        indent=2,
        ensure_ascii=False,
    )


def _with_bar(found: list[tuple[str, Path]]) -> Iterable[tuple[str, Path]]:
    # About 2 ms a plan: a bar from 500 plans, a second or more of waiting.
    from txplan.outputs.progress_bar import tracked

    return tracked(found, "reading plans", at_least=500)
