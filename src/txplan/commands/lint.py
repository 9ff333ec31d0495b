"""`txplan lint`: check plans the way an auditor and a clinical supervisor would."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from txplan.commands import (
    ConfigOption,
    NoColorOption,
    QuietOption,
    TodayOption,
    fail,
    output_target,
    parse_today,
    use_color,
    write_report,
)


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values or [] for c in v.split(",") if c.strip())


def _folders(option: str, values: list[str] | None) -> list[str]:
    for value in values or []:
        if not os.path.isdir(value):
            fail(f"{option} {value}: no such folder.")
    return values or []


def _reads_stdin(
    paths: list[str] | None, stdin_filename: str | None, caseload: list[str] | None
) -> bool:
    """Whether to lint standard input: `-` alone, or --stdin-filename with no
    path (as ruff). `-` beside other paths is a usage error: which of them
    would the findings be about?"""
    given = paths or []
    if "-" not in given:
        if stdin_filename is not None and given:
            fail("--stdin-filename names the plan read from standard input; give `-` alone.")
        if stdin_filename is None:
            return False
    elif len(given) > 1:
        fail("`-` reads one plan from standard input; give no other paths with it.")
    if caseload:
        fail("--caseload cannot be used with standard input: lint the plan's file instead.")
    if stdin_filename == "":
        fail("--stdin-filename: give the plan's file name, e.g. C-1042.plan.yaml.")
    return True


def _stdin_bytes() -> bytes:
    from txplan.plan.files import read_stream_limited

    if sys.stdin is None:
        fail("standard input is closed; there is no plan to read.")
    try:
        return read_stream_limited(sys.stdin.buffer)
    except (OSError, AttributeError) as exc:
        fail(f"cannot read standard input ({getattr(exc, 'strerror', None) or exc}).")


def _lint_report_name(output_format: LintFormat, show_statistics: bool) -> str:
    """The report's name in a folder given to `lint -o`."""
    if show_statistics or output_format in (LintFormat.text, LintFormat.github):
        return "txplan-lint.txt"
    return f"txplan-lint.{output_format.value}"


def lint(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Plan files or folders (default: this folder); - reads one plan from "
            "standard input."
        ),
    ] = None,
    output_format: Annotated[
        LintFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LintFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show info-level notes.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", metavar="CODES", help="Run only these codes or prefixes (S,R001)."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help="Skip these codes or prefixes."),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: cores).")
    ] = None,
    show_statistics: Annotated[
        bool, typer.Option("--statistics", help="Counts per rule instead of each finding.")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to FILE (a folder: into it; -: the screen).",
        ),
    ] = None,
    caseload: Annotated[
        list[str] | None,
        typer.Option(
            "--caseload",
            metavar="DIR",
            help="Also read every plan under DIR for the cross-file rules X001 and X003; "
            "findings are reported only for the files named.",
        ),
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            metavar="NAME",
            help="The name of the plan read from standard input, for findings, F007 and "
            "the txplan.toml that applies (alone, it means `-`).",
        ),
    ] = None,
    respect_gitignore: Annotated[
        bool,
        typer.Option(
            "--respect-gitignore/--no-respect-gitignore",
            help="In a folder, pass over the files git ignores (.gitignore).",
        ),
    ] = True,
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check plans the way an auditor and a clinical supervisor would."""
    from txplan.config import ConfigError
    from txplan.findings import Severity
    from txplan.outputs import reporters
    from txplan.plan.discover import UsageError
    from txplan.rules import REGISTRY
    from txplan.workflow.lint import Selection, lint_paths, lint_stdin

    on = parse_today(today)
    chosen = Selection(select=_codes(select), ignore=_codes(ignore))
    for code in chosen.select + chosen.ignore:
        if not any(c.startswith(code) for c in REGISTRY):
            fail(f"'{code}' is no rule code or prefix; `txplan rule` lists them.")
    from_stdin = _reads_stdin(paths, stdin_filename, caseload)
    named = [p for p in paths or [] if p != "-"]
    where = output_target(output, [*named, *([config] if config else [])])
    try:
        if from_stdin:
            result = lint_stdin(
                _stdin_bytes(),
                stdin_filename or "-",
                today=on,
                config_override=config,
                selection=chosen,
            )
        else:
            result = lint_paths(
                paths or ["."],
                today=on,
                config_override=config,
                selection=chosen,
                workers=jobs,
                caseload=_folders("--caseload", caseload),
                respect_gitignore=respect_gitignore,
            )
    except (UsageError, ConfigError) as exc:
        fail(str(exc))
    shown = [f for f in result.findings if verbose or f.severity is not Severity.INFO]
    import io

    out = io.StringIO() if where else sys.stdout
    if show_statistics:
        out.write(reporters.statistics(shown))
    elif output_format is LintFormat.json:
        out.write(reporters.as_json(shown, result.files) + "\n")
    elif output_format is LintFormat.sarif:
        out.write(reporters.as_sarif(shown) + "\n")
    elif output_format is LintFormat.github:
        out.write(reporters.as_github(shown))
    else:
        color = use_color(no_color) and where is None
        reporters.write_text(
            shown, result.files, out, color=color, quiet=quiet, not_read=len(result.errors)
        )
    if where is not None:
        assert isinstance(out, io.StringIO)
        write_report(where, out.getvalue(), _lint_report_name(output_format, show_statistics))
    from txplan.outputs.terminal import clean

    for line in [*result.unchecked, *result.errors]:
        sys.stderr.write(f"txplan: {clean(line)}\n")
    if result.errors:
        raise typer.Exit(2)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(f.severity in failing for f in shown):
        raise typer.Exit(1)
