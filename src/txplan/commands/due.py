"""`txplan due`: plans whose review is due, soonest first."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from txplan.commands import (
    ConfigOption,
    NoCacheOption,
    NoColorOption,
    PlansArgument,
    QuietOption,
    TodayOption,
    fail,
    parse_today,
    refused,
    use_color,
)

# The last line of `txplan due --help`, and docs/cli.md's example.
EXAMPLE = "txplan due plans/ --within 30d --format ics -o reviews.ics"


class DueFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


def due(
    paths: PlansArgument = None,
    within: Annotated[
        str | None,
        typer.Option("--within", metavar="30d", help="Due within this many days (or 6w)."),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue reviews.")] = False,
    clinician: Annotated[
        str | None,
        typer.Option(
            "--clinician", metavar="NAME", help="Only this clinician's plans (part of the name)."
        ),
    ] = None,
    output_format: Annotated[
        DueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DueFormat.table,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 1 when a review is overdue (2 when a plan cannot be read)."
        ),
    ] = False,
    no_cache: NoCacheOption = False,
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
    quiet: QuietOption = False,
) -> None:
    """Plans whose review is due, soonest first."""
    from txplan.config import ConfigError
    from txplan.plan.discover import UsageError
    from txplan.workflow import due as reviews

    on = parse_today(today)
    days = None
    if within is not None:
        try:
            days = reviews.parse_within(within)
        except ValueError:
            fail(f"--within: '{within}' is not a number of days; write e.g. 30d or 6w.")
    try:
        rows, problems = reviews.collect(paths or ["."], on, config, use_cache=not no_cache)
    except (UsageError, ConfigError) as exc:
        fail(str(exc))
    shown = reviews.select(rows, days, overdue, clinician)
    if output_format is DueFormat.json:
        sys.stdout.write(reviews.as_json(shown, on) + "\n")
    elif output_format is DueFormat.csv:
        sys.stdout.write(reviews.as_csv(shown))
    elif output_format is DueFormat.ics:
        sys.stdout.buffer.write(reviews.as_ics(shown, on).encode("utf-8"))
    elif use_color(no_color):
        reviews.print_rich_table(shown, sys.stdout)
    else:
        sys.stdout.write(reviews.as_table(shown))
    if not quiet and output_format is DueFormat.table:
        late = sum(r.state == "overdue" for r in shown)
        sys.stdout.write(f"{len(shown)} of {len(rows)} plans shown; {late} overdue.\n")
    # A plan that could not be read is a review date nobody sees: never exit 0 past it.
    refused(problems)
    if check and any(r.state == "overdue" for r in shown):
        raise typer.Exit(1)
