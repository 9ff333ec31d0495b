"""`txplan status`: progress: each objective's latest score against its target, on track or not."""

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
    NoColorOption,
    PlansArgument,
    TodayOption,
    fail,
    parse_today,
    refused,
    use_color,
)

# The last line of `txplan status --help`, and docs/cli.md's example.
EXAMPLE = "txplan status plans/ --format json"


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


def status(
    paths: PlansArgument = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.text,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Each objective's latest score against its target.

    On track or not, and how much of the time has passed.
    """
    from txplan.config import ConfigError
    from txplan.plan.discover import UsageError
    from txplan.workflow import status as progress_report

    on = parse_today(today)
    try:
        plans, problems = progress_report.collect(
            paths or ["."],
            on,
            config,
            use_cache=not no_cache,
            cache_dir=Path(cache_dir) if cache_dir else None,
        )
    except (UsageError, ConfigError) as exc:
        fail(str(exc))
    if output_format is StatusFormat.json:
        sys.stdout.write(progress_report.as_json(plans, on) + "\n")
    else:
        progress_report.as_text(plans, on, use_color(no_color), sys.stdout)
    refused(problems)
