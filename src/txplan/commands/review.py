"""`txplan review`: record a plan review: ratings, statuses, summary; rolls the review date forward."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import (
    ConfigOption,
    PlanArgument,
    TodayOption,
    fail,
    parse_date,
    parse_today,
)

# The last line of `txplan review --help`, and docs/cli.md's example.
EXAMPLE = "txplan review plans/C-1042.plan.yaml --date 2026-04-06 --rate G1=6"


def review(
    plan: PlanArgument,
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Review date (default: today)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help="Who reviewed (default: the clinician)."),
    ] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", metavar="TEXT", help="Summary of the review.")
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option("--rate", metavar="GOAL=0-10", help="A goal's progress rating."),
    ] = None,
    note: Annotated[
        list[str] | None,
        typer.Option(
            "--note", metavar="GOAL=TEXT", help="A goal's progress note (default: drafted)."
        ),
    ] = None,
    set_status: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="ID=STATUS", help="A goal's or objective's new status."),
    ] = None,
    what: Annotated[
        str | None, typer.Option("--what", metavar="TEXT", help="What changed in the plan.")
    ] = None,
    why: Annotated[
        str | None, typer.Option("--why", metavar="TEXT", help="Why it changed.")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Record a plan review; rolls the review date forward.

    Ratings, statuses and a summary go into the plan's `reviews`; each open
    goal's note is drafted from the session notes since the last review.
    """
    from pathlib import Path

    from txplan.plan import editor
    from txplan.workflow import review as review_cmd

    now = parse_today(today)
    try:
        ratings = review_cmd.pairs(rate, "--rate")
        request = review_cmd.Request(
            plan=Path(plan),
            on=parse_date("--date", on) if on else now,
            today=now,
            by=by,
            summary=summary,
            notes=review_cmd.pairs(note, "--note"),
            statuses=review_cmd.pairs(set_status, "--set"),
            what=what,
            why=why,
            config=config,
        )
        for gid, value in ratings.items():
            if not value.isdigit():
                raise editor.EditError(f"--rate {gid}: a rating is a whole number 0 to 10.")
            request.ratings[gid] = int(value)
        interactive = not no_input and sys.stdin.isatty() and not (rate or set_status or summary)
        ask = None
        if interactive:
            from txplan.workflow.new_plan import terminal_prompts

            prompt = terminal_prompts()
            ask = lambda question, check: prompt(question, check, True)  # noqa: E731
        from txplan.outputs.terminal import clean_lines

        sys.stdout.write(clean_lines(review_cmd.record(request, ask)) + "\n")
    except editor.EditError as exc:
        fail(str(exc))
