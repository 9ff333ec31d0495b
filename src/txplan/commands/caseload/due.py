"""`txplan due`: plans whose review is due, soonest first; beside them the
session notes still to sign and the measures due (`--kind`)."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from txplan.commands import (
    CacheDirOption,
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

if TYPE_CHECKING:
    from txplan.workflow.due import Due

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
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only what is overdue (reviews, notes, measures).")
    ] = False,
    clinician: Annotated[
        str | None,
        typer.Option(
            "--clinician", metavar="NAME", help="Only this clinician's plans (part of the name)."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="reviews,notes,measures",
            help=(
                "What to list, comma-separated: reviews, unsigned session notes, measures due "
                "(default: reviews)."
            ),
        ),
    ] = None,
    output_format: Annotated[
        DueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DueFormat.table,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=(
                "Exit 1 when a review, a note or a measure shown is overdue "
                "(2 when a plan cannot be read)."
            ),
        ),
    ] = False,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
    quiet: QuietOption = False,
) -> None:
    """Plans whose review is due, soonest first; unsigned notes and measures due (--kind)."""
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
    kinds = _kinds(kind)
    try:
        found = reviews.collect_all(
            paths or ["."],
            on,
            config,
            use_cache=not no_cache,
            kinds=kinds,
            cache_dir=Path(cache_dir) if cache_dir else None,
        )
    except (UsageError, ConfigError) as exc:
        fail(str(exc))
    shown = reviews.select_all(found, days, overdue, clinician)
    _write(found, shown, on, output_format, use_color(no_color), quiet)
    # A plan that could not be read is a review date nobody sees: never exit 0 past it.
    refused(found.problems)
    if check and "overdue" in shown.states():
        raise typer.Exit(1)


def _kinds(kind: str | None) -> tuple[str, ...]:
    from txplan.workflow import due as reviews

    if kind is None:
        return reviews.DEFAULT_KINDS
    try:
        return reviews.parse_kinds(kind)
    except ValueError as exc:
        fail(f"--kind: '{exc}' is not a kind; choose from reviews, notes, measures.")


def _write(
    found: Due, shown: Due, on: dt.date, output_format: DueFormat, color: bool, quiet: bool
) -> None:
    """`shown` in the format asked for; a table ends with what it shows of `found`."""
    from txplan.workflow import due as reviews

    notes = shown.notes if "notes" in shown.kinds else None
    measures = shown.measures if "measures" in shown.kinds else None
    table_rows = shown.reviews if "reviews" in shown.kinds else None
    if output_format is DueFormat.json:
        sys.stdout.write(reviews.as_json(shown.reviews, on, notes, measures) + "\n")
    elif output_format is DueFormat.csv:
        sys.stdout.write(reviews.as_csv(shown.reviews, notes, measures))
    elif output_format is DueFormat.ics:
        calendar = reviews.as_ics(shown.reviews, on, notes=notes, measures=measures)
        sys.stdout.buffer.write(calendar.encode("utf-8"))
    elif color:
        reviews.print_rich_table(table_rows, sys.stdout, notes, measures)
    else:
        sys.stdout.write(reviews.as_table(table_rows, notes, measures))
    if not quiet and output_format is DueFormat.table:
        counts = (len(found.reviews), len(found.notes), len(found.measures))
        line = reviews.summary(table_rows, counts[0], notes, counts[1], measures, counts[2])
        sys.stdout.write(line + "\n")
