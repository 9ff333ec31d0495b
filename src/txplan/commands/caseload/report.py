"""`txplan report`: the caseload at a glance, as a clinical director reads it."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from txplan.commands import (
    CacheDirOption,
    ConfigOption,
    NoCacheOption,
    OutputOption,
    PlansArgument,
    TodayOption,
    fail,
    output_target,
    parse_date,
    parse_today,
    refused,
    write_report,
)

# The last line of `txplan report --help`, and docs/cli.md's example.
EXAMPLE = "txplan report plans/ -o report.html"


class ReportFormat(StrEnum):
    html = "html"
    json = "json"


FormatOption = Annotated[
    ReportFormat,
    typer.Option("--format", "-f", help="A page (html) or the figures (json)."),
]

SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="YYYY-MM-DD",
        help="Count session notes from this day, and start the trend at its month "
        "(default: the last 12 months).",
    ),
]

ClinicianOption = Annotated[
    str | None,
    typer.Option(
        "--clinician",
        metavar="NAME",
        help="Only the plans of clinicians whose name contains NAME (any case).",
    ),
]

RedactOption = Annotated[
    bool,
    typer.Option(
        "--redact",
        help="Withhold clinicians' names too (Clinician 1, 2, ...), for a report that "
        "leaves the practice. Client IDs are shown; clients' names never are.",
    ),
]


def report(
    paths: PlansArgument = None,
    output: OutputOption = None,
    output_format: FormatOption = ReportFormat.html,
    since: SinceOption = None,
    clinician: ClinicianOption = None,
    redact: RedactOption = False,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """The caseload at a glance: reviews, plan quality, measured outcomes and notes.

    One self-contained page (no script, no request) or the same figures as JSON.
    """
    from txplan.config import ConfigError
    from txplan.plan.discover import UsageError
    from txplan.workflow import report as caseload

    on = parse_today(today)
    start = parse_date("--since", since) if since else None
    if start is not None and start > on:
        fail(f"--since {since} is after {on}: give a day on or before it.")
    named = paths or ["."]
    where = output_target(output, [*named, *([config] if config else [])])
    try:
        figures = caseload.gather(
            named,
            on,
            config_override=config,
            since=start,
            clinician=clinician,
            use_cache=not no_cache,
            cache_dir=Path(cache_dir) if cache_dir else None,
        )
    except (UsageError, ConfigError) as exc:
        fail(str(exc))
    if redact:
        figures = caseload.redacted(figures)
    if output_format is ReportFormat.json:
        text = caseload.as_json(figures) + "\n"
    else:
        from txplan.outputs.report_page import render

        text = render(figures)
    if where is None:
        sys.stdout.write(text)
    else:
        write_report(where, text, f"report.{output_format.value}")
    # As `due` and `status` do: the report is made, then each plan it could
    # not count is named, and the exit is 2.
    refused([f"not counted: {line}" for line in figures["problems"]])
