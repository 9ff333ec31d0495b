"""`txplan lint`: check plans the way an auditor and a clinical supervisor would."""

from __future__ import annotations

import os
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
    OutputOption,
    QuietOption,
    TodayOption,
    complete_plans,
    complete_rule_codes,
    fail,
    output_target,
    parse_today,
    use_color,
    write_report,
)

if TYPE_CHECKING:
    from txplan.findings import Finding
    from txplan.outputs.targets import Target
    from txplan.workflow.lint import LintResult, Selection

# The last line of `txplan lint --help`, and docs/cli.md's example.
EXAMPLE = "txplan lint plans/ --format sarif -o txplan.sarif"


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"


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
    if sys.stdin.isatty():  # typed or pasted by hand: say what txplan is waiting for
        sys.stderr.write("txplan: reading a plan from standard input; end it with Ctrl-D.\n")
    try:
        return read_stream_limited(sys.stdin.buffer)
    except (OSError, AttributeError) as exc:
        fail(f"cannot read standard input ({getattr(exc, 'strerror', None) or exc}).")


def _lint_report_name(output_format: LintFormat, show_statistics: bool) -> str:
    """The report's name in a folder given to `lint -o`."""
    if show_statistics or output_format in (LintFormat.text, LintFormat.github):
        return "txplan-lint.txt"
    # Named for the GitLab report each is read as (`reports: codequality`,
    # `reports: junit`); GitLab reads JUnit reports only from files ending .xml.
    if output_format is LintFormat.gitlab:
        return "txplan-lint.codequality.json"
    if output_format is LintFormat.junit:
        return "txplan-lint.junit.xml"
    return f"txplan-lint.{output_format.value}"


PathsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        autocompletion=complete_plans,
        metavar="PATH",
        help="Plan files or folders (default: this folder).",
    ),
]

OutputFormatOption = Annotated[
    LintFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format (gitlab: a Code Quality report; junit: JUnit XML).",
    ),
]

ExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero",
        help="Exit 0 even with findings that would fail; still exit 2 when a file "
        "could not be read or an option or setting is wrong.",
    ),
]

VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Show info-level notes.")]

SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        autocompletion=complete_rule_codes,
        metavar="CODES",
        help="Run only these codes or prefixes (S,R001).",
    ),
]

IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        autocompletion=complete_rule_codes,
        metavar="CODES",
        help="Skip these codes or prefixes.",
    ),
]

JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes (default: cores)."),
]

ShowStatisticsOption = Annotated[
    bool, typer.Option("--statistics", help="Counts per rule instead of each finding.")
]


CaseloadOption = Annotated[
    list[str] | None,
    typer.Option(
        "--caseload",
        metavar="DIR",
        help="Also read every plan under DIR for the cross-file rules X001 and X003; "
        "findings are reported only for the files named.",
    ),
]


StdinFilenameOption = Annotated[
    str | None,
    typer.Option(
        "--stdin-filename",
        metavar="NAME",
        help="The name of the plan read from standard input, for findings, F007 and "
        "the txplan.toml that applies (alone, it means `-`).",
    ),
]

RespectGitignoreOption = Annotated[
    bool,
    typer.Option(
        "--respect-gitignore/--no-respect-gitignore",
        help="In a folder in a git repository, pass over (and name) what .gitignore ignores.",
    ),
]


def lint(
    paths: PathsArgument = None,
    output_format: OutputFormatOption = LintFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    exit_zero: ExitZeroOption = False,
    verbose: VerboseOption = False,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    jobs: JobsOption = None,
    show_statistics: ShowStatisticsOption = False,
    output: OutputOption = None,
    caseload: CaseloadOption = None,
    stdin_filename: StdinFilenameOption = None,
    respect_gitignore: RespectGitignoreOption = True,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check plans the way an auditor and a clinical supervisor would."""
    from txplan.config import ConfigError
    from txplan.findings import Severity
    from txplan.plan.discover import UsageError
    from txplan.workflow.lint import lint_paths, lint_stdin

    on = parse_today(today)
    chosen = _selection(select, ignore)
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
                use_cache=not no_cache,
                cache_dir=Path(cache_dir) if cache_dir else None,
            )
    except (UsageError, ConfigError) as exc:
        fail(str(exc))
    shown = [f for f in result.findings if verbose or f.severity is not Severity.INFO]
    _write_lint_report(shown, result, where, output_format, show_statistics, no_color, quiet)
    _finish(result, shown, strict, exit_zero)


def _selection(select: list[str] | None, ignore: list[str] | None) -> Selection:
    """--select and --ignore, each code checked against the rules there are."""
    from txplan.workflow.lint import Selection

    chosen = Selection(select=_codes(select), ignore=_codes(ignore))
    if not chosen.select and not chosen.ignore:
        return chosen  # nothing to check: a remembered result needs no rule loaded
    from txplan.rules import REGISTRY

    for code in chosen.select + chosen.ignore:
        if not any(c.startswith(code) for c in REGISTRY):
            fail(f"'{code}' is no rule code or prefix; `txplan rule` lists them.")
    return chosen


def _write_lint_report(
    shown: list[Finding],
    result: LintResult,
    where: Target | None,
    output_format: LintFormat,
    show_statistics: bool,
    no_color: bool,
    quiet: bool,
) -> None:
    """The report in the chosen format, on the screen or to the -o target."""
    import io

    from txplan.outputs import reporters

    out = io.StringIO() if where else sys.stdout
    if show_statistics:
        out.write(reporters.statistics(shown))
    elif output_format is LintFormat.json:
        reporters.write_json(shown, result.files, out)
        out.write("\n")
    elif output_format is LintFormat.sarif:
        out.write(reporters.as_sarif(shown) + "\n")
    elif output_format is LintFormat.github:
        out.write(reporters.as_github(shown))
    elif output_format in (LintFormat.gitlab, LintFormat.junit):
        from txplan.outputs import ci_reports

        if output_format is LintFormat.gitlab:
            out.write(ci_reports.as_gitlab(shown) + "\n")
        else:
            out.write(ci_reports.as_junit(shown, result.checked) + "\n")
    else:
        color = use_color(no_color) and where is None
        noun = "file" if result.notes else "plan"
        reporters.write_text(
            shown,
            result.files,
            out,
            color=color,
            quiet=quiet,
            not_read=len(result.errors),
            noun=noun,
        )
    if where is not None:
        assert isinstance(out, io.StringIO)
        write_report(where, out.getvalue(), _lint_report_name(output_format, show_statistics))


def _finish(result: LintResult, shown: list[Finding], strict: bool, exit_zero: bool) -> None:
    """Files left unchecked or unread on stderr, then the exit code: 2 when a file
    could not be read, 1 when a finding fails the run."""
    from txplan.findings import Severity
    from txplan.outputs.terminal import clean

    for line in [*result.unchecked, *result.errors]:
        sys.stderr.write(f"txplan: {clean(line)}\n")
    if result.errors:
        raise typer.Exit(2)
    if exit_zero:
        return  # the report is the result; the job decides what fails it
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(f.severity in failing for f in shown):
        raise typer.Exit(1)
