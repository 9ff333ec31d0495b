"""`txplan measure`: record a score in the plan's `measures` and show progress toward its targets."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import (
    ConfigOption,
    PlanArgument,
    TodayOption,
    complete_instruments,
    fail,
    parse_date,
    parse_today,
)

# The last line of `txplan measure --help`, and docs/cli.md's example.
EXAMPLE = "txplan measure plans/C-1042.plan.yaml GAD-7 9 --date 2026-03-02"


def measure(
    plan: PlanArgument,
    instrument: Annotated[
        str,
        typer.Argument(
            autocompletion=complete_instruments,
            metavar="INSTRUMENT",
            help="Instrument, e.g. GAD-7.",
        ),
    ],
    score: Annotated[str, typer.Argument(metavar="SCORE", help="The total score.")],
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="When it was taken (default: today)."),
    ] = None,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Record a score and show progress toward the targets.

    The score goes into the plan's `measures`; every comment is kept.
    """
    from pathlib import Path

    from txplan.plan import editor
    from txplan.workflow.measure import record

    now = parse_today(today)
    when = parse_date("--date", on) if on else now
    from txplan.outputs.terminal import clean_lines

    try:
        # the plan's ids and the file name are echoed: never raw escapes
        said = record(Path(plan), instrument, score, when, now, config)
        sys.stdout.write(clean_lines(said) + "\n")
    except editor.EditError as exc:
        fail(str(exc))
