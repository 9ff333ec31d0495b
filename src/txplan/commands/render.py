"""`txplan render`: the plan as a document to sign, send or print."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import (
    REDACT_HELP,
    ConfigOption,
    TodayOption,
    complete_plans,
    fail,
    parse_today,
    refused,
)

# The last line of `txplan render --help`, and docs/cli.md's example.
EXAMPLE = "txplan render plans/ --format html -o signed/"


def render(
    plan: Annotated[
        str,
        typer.Argument(
            autocompletion=complete_plans, metavar="PATH", help="A plan file, or a folder of plans."
        ),
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="html|md", help="html or md.")
    ] = "html",
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File or folder (for a plan; -: the screen, the default), or folder "
            "(for a folder of plans; default: out/ in it).",
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option("--redact", help=REDACT_HELP),
    ] = False,
    since_review: Annotated[
        bool,
        typer.Option(
            "--since-review",
            help="Add a section for the review meeting: the session notes since the last "
            "review (else since the plan was written) up to --today, how many notes took up "
            "each active objective, the latest progress written for it, and the goal's scores.",
        ),
    ] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """The plan as a document to sign, send or print."""
    from txplan.workflow.render import RenderError, render_paths

    try:
        done = render_paths(
            plan, output_format, output, redact, parse_today(today), config, since_review
        )
    except RenderError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {exc.filename or 'the output'} ({exc.strerror or exc}).")
    for name, text in done.written:
        if text is not None:
            sys.stdout.write(text)
        else:
            from txplan.outputs.terminal import clean

            sys.stderr.write(f"wrote {clean(name)}\n")
    refused([*done.refused, *done.removed])
