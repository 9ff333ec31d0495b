"""The command line. Each command parses its options, calls a pure function
and prints; the work lives in engine.py, reporters.py and the rules."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from txplan import __version__

if TYPE_CHECKING:
    from txplan.outputs import targets as outputs

COMMANDS: dict[str, Callable[..., None]] = {}


def command(function: Callable[..., None]) -> Callable[..., None]:
    """Register a command (its name is the function's)."""
    COMMANDS[function.__name__] = function
    return function


def build(only: str | None = None) -> typer.Typer:
    """The app with every command, or with just `only`: typer inspects each
    registered command's signature on every run, which for all of them costs
    more than linting a plan."""
    built = typer.Typer(
        name="txplan",
        help="Check, review and render mental-health treatment plans kept as YAML in git.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    built.callback()(main)
    for name, function in COMMANDS.items():
        if only is None or name == only:
            built.command()(function)
    return built


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


class DueFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


def _fail(message: str) -> NoReturn:
    """A one-line error and exit 2: the command could not run as asked."""
    from txplan.outputs.terminal import clean

    sys.stderr.write(f"txplan: {clean(message)}\n")
    raise typer.Exit(2)


def _parse_today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"--today: '{value}' is not a date; write YYYY-MM-DD, e.g. 2026-02-01.")


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values or [] for c in v.split(",") if c.strip())


def _folders(option: str, values: list[str] | None) -> list[str]:
    for value in values or []:
        if not os.path.isdir(value):
            _fail(f"{option} {value}: no such folder.")
    return values or []


def _use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _output_target(output: str | None, inputs: list[str]) -> outputs.Target | None:
    """Where `-o` sends the output, checked before any work (txplan.outputs.targets);
    None for the screen (no `-o`, or `-o -`)."""
    if output is None or output == "-":
        return None
    from txplan.outputs import targets as outputs

    try:
        return outputs.target(output, inputs)
    except outputs.OutputError as exc:
        _fail(str(exc))


def _write_report(where: outputs.Target, text: str, name: str) -> None:
    """A report quotes plan text, so it is written like a plan: owner-only, atomically."""
    from txplan.outputs import targets as outputs

    try:
        where.write(text, name)
    except outputs.OutputError as exc:
        _fail(str(exc))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"txplan {__version__}\n")
        raise typer.Exit()


def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Check, review and render mental-health treatment plans kept as YAML in git."""


TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="YYYY-MM-DD", help="Check as of this date (reproducible output)."
    ),
]
ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config", metavar="FILE", help="Use this txplan.toml instead of the nearest one."
    ),
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="Plain output, no colors.")]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
]


@command
def lint(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Plan files or folders (default: this folder).")
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
    from txplan.rules.engine import Selection, lint_paths

    on = _parse_today(today)
    chosen = Selection(select=_codes(select), ignore=_codes(ignore))
    for code in chosen.select + chosen.ignore:
        if not any(c.startswith(code) for c in REGISTRY):
            _fail(f"'{code}' is no rule code or prefix; `txplan rule` lists them.")
    where = _output_target(output, [*(paths or []), *([config] if config else [])])
    try:
        result = lint_paths(
            paths or ["."],
            today=on,
            config_override=config,
            selection=chosen,
            workers=jobs,
            caseload=_folders("--caseload", caseload),
        )
    except (UsageError, ConfigError) as exc:
        _fail(str(exc))
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
        color = _use_color(no_color) and where is None
        reporters.write_text(
            shown, result.files, out, color=color, quiet=quiet, not_read=len(result.errors)
        )
    if where is not None:
        assert isinstance(out, io.StringIO)
        _write_report(where, out.getvalue(), _lint_report_name(output_format, show_statistics))
    from txplan.outputs.terminal import clean

    for line in [*result.unchecked, *result.errors]:
        sys.stderr.write(f"txplan: {clean(line)}\n")
    if result.errors:
        raise typer.Exit(2)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(f.severity in failing for f in shown):
        raise typer.Exit(1)


def _lint_report_name(output_format: LintFormat, show_statistics: bool) -> str:
    """The report's name in a folder given to `lint -o`."""
    if show_statistics or output_format in (LintFormat.text, LintFormat.github):
        return "txplan-lint.txt"
    return f"txplan-lint.{output_format.value}"


@command
def due(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Plan files or folders (default: here).")
    ] = None,
    within: Annotated[
        str | None,
        typer.Option("--within", metavar="30d", help="Due within this many days (or 6w)."),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue reviews.")] = False,
    clinician: Annotated[
        str | None,
        typer.Option("--clinician", help="Only this clinician's plans (part of the name)."),
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
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
    quiet: QuietOption = False,
) -> None:
    """Plans whose review is due, soonest first."""
    from txplan.config import ConfigError
    from txplan.plan.discover import UsageError
    from txplan.workflow import due as reviews

    on = _parse_today(today)
    days = None
    if within is not None:
        try:
            days = reviews.parse_within(within)
        except ValueError:
            _fail(f"--within: '{within}' is not a number of days; write e.g. 30d or 6w.")
    try:
        rows, problems = reviews.collect(paths or ["."], on, config)
    except (UsageError, ConfigError) as exc:
        _fail(str(exc))
    shown = reviews.select(rows, days, overdue, clinician)
    if output_format is DueFormat.json:
        sys.stdout.write(reviews.as_json(shown, on) + "\n")
    elif output_format is DueFormat.csv:
        sys.stdout.write(reviews.as_csv(shown))
    elif output_format is DueFormat.ics:
        sys.stdout.buffer.write(reviews.as_ics(shown, on).encode("utf-8"))
    elif _use_color(no_color):
        reviews.print_rich_table(shown, sys.stdout)
    else:
        sys.stdout.write(reviews.as_table(shown))
    if not quiet and output_format is DueFormat.table:
        late = sum(r.state == "overdue" for r in shown)
        sys.stdout.write(f"{len(shown)} of {len(rows)} plans shown; {late} overdue.\n")
    # A plan that could not be read is a review date nobody sees: never exit 0 past it.
    _refused(problems)
    if check and any(r.state == "overdue" for r in shown):
        raise typer.Exit(1)


@command
def status(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Plan files or folders (default: here).")
    ] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.text,
    today: TodayOption = None,
    config: ConfigOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Progress: each objective's latest score against its target, on track or not."""
    from txplan.config import ConfigError
    from txplan.plan.discover import UsageError
    from txplan.workflow import status as progress_report

    on = _parse_today(today)
    try:
        plans, problems = progress_report.collect(paths or ["."], on, config)
    except (UsageError, ConfigError) as exc:
        _fail(str(exc))
    if output_format is StatusFormat.json:
        sys.stdout.write(progress_report.as_json(plans, on) + "\n")
    else:
        progress_report.as_text(plans, on, _use_color(no_color), sys.stdout)
    _refused(problems)


@command
def rule(
    code: Annotated[str | None, typer.Argument(help="A rule code (S002) or name.")] = None,
    no_color: NoColorOption = False,
) -> None:
    """List the rules, or explain one: what it checks, why, and examples."""
    from txplan.outputs.rule_docs import explain, listing
    from txplan.rules import REGISTRY, by_code_or_name

    if code is None:
        sys.stdout.write(listing(REGISTRY.values()))
        return
    found = by_code_or_name(code)
    if found is None:
        import difflib

        names = [*REGISTRY, *(r.name for r in REGISTRY.values())]
        close = difflib.get_close_matches(code, names, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]}?" if close else ""
        _fail(f"no rule '{code}'.{hint} `txplan rule` lists them all.")
    sys.stdout.write(explain(found))


@command
def init(
    folder: Annotated[str, typer.Argument(help="The plans folder (created if missing).")] = ".",
) -> None:
    """Make a plans folder: txplan.toml, .gitignore, a pre-commit hook, git."""
    from pathlib import Path

    from txplan.workflow.init_folder import init as make_folder

    try:
        report = make_folder(Path(folder))
    except OSError as exc:
        _fail(f"{folder}: {exc.strerror or exc}.")
    from txplan.outputs.terminal import clean_lines

    sys.stdout.write(clean_lines("\n".join(report.lines(Path(folder)))) + "\n")


@command
def new(
    client_id: Annotated[
        str | None, typer.Argument(help="The client's ID (never their name): it names the file.")
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="Template (default: from --diagnosis).")
    ] = None,
    diagnosis: Annotated[
        str | None, typer.Option("--diagnosis", "-d", help="ICD-10-CM code, e.g. F41.1.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The client's name.")] = None,
    dob: Annotated[
        str | None, typer.Option("--dob", metavar="YYYY-MM-DD", help="Date of birth.")
    ] = None,
    payer: Annotated[str | None, typer.Option("--payer", help="Payer key in txplan.toml.")] = None,
    clinician: Annotated[str | None, typer.Option("--clinician", help="Your name.")] = None,
    credentials: Annotated[
        str | None, typer.Option("--credentials", help="Your credentials, e.g. LCSW.")
    ] = None,
    folder: Annotated[str, typer.Option("--dir", help="Plans folder (default: here).")] = ".",
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    list_templates: Annotated[
        bool, typer.Option("--list-templates", help="List the templates and exit.")
    ] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Scaffold <CLIENT_ID>.plan.yaml from a template chosen by diagnosis."""
    from txplan.workflow import new_plan

    if list_templates:
        sys.stdout.write(new_plan.template_listing())
        return
    if client_id is None:
        _fail(
            "give the client's ID, e.g. `txplan new C-1042` (`--list-templates` lists templates)."
        )
    interactive = not no_input and sys.stdin.isatty()
    try:
        result = new_plan.create_plan(
            new_plan.Options(
                client_id=client_id,
                template=template,
                diagnosis=diagnosis,
                name=name,
                dob=dob,
                payer=payer,
                clinician=clinician,
                credentials=credentials,
                folder=folder,
                config=config,
                today=_parse_today(today),
            ),
            ask=new_plan.terminal_prompts() if interactive else None,
        )
    except new_plan.Exists as exc:
        from txplan.outputs.terminal import clean

        sys.stderr.write(f"txplan: {clean(str(exc))}\n")
        raise typer.Exit(1) from None
    except new_plan.Refused as exc:
        _fail(str(exc))
    from txplan.outputs.terminal import clean_lines

    sys.stdout.write(clean_lines(result) + "\n")


@command
def measure(
    plan: Annotated[str, typer.Argument(help="The plan file.")],
    instrument: Annotated[str, typer.Argument(help="Instrument, e.g. GAD-7.")],
    score: Annotated[str, typer.Argument(help="The total score.")],
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="When it was taken (default: today)."),
    ] = None,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Record a score in the plan's `measures` and show progress toward its targets."""
    from pathlib import Path

    from txplan.plan import editor
    from txplan.workflow.measure import record

    now = _parse_today(today)
    when = _parse_date("--date", on) if on else now
    from txplan.outputs.terminal import clean_lines

    try:
        # the plan's ids and the file name are echoed: never raw escapes
        said = record(Path(plan), instrument, score, when, now, config)
        sys.stdout.write(clean_lines(said) + "\n")
    except editor.EditError as exc:
        _fail(str(exc))


def _parse_date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: '{value}' is not a date; write YYYY-MM-DD.")


@command
def review(
    plan: Annotated[str, typer.Argument(help="The plan file.")],
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Review date (default: today)."),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who reviewed (default: the clinician).")
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="Summary of the review.")] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option("--rate", metavar="GOAL=0-10", help="A goal's progress rating."),
    ] = None,
    note: Annotated[
        list[str] | None,
        typer.Option("--note", metavar="GOAL=TEXT", help="A note on a goal's progress."),
    ] = None,
    set_status: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="ID=STATUS", help="A goal's or objective's new status."),
    ] = None,
    what: Annotated[str | None, typer.Option("--what", help="What changed in the plan.")] = None,
    why: Annotated[str | None, typer.Option("--why", help="Why it changed.")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Record a plan review: ratings, statuses, summary; rolls the review date forward."""
    from pathlib import Path

    from txplan.plan import editor
    from txplan.workflow import review as review_cmd

    now = _parse_today(today)
    try:
        ratings = review_cmd.pairs(rate, "--rate")
        request = review_cmd.Request(
            plan=Path(plan),
            on=_parse_date("--date", on) if on else now,
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
        _fail(str(exc))


@command
def history(plan: Annotated[str, typer.Argument(help="The plan file.")]) -> None:
    """The plan's committed versions, each summarized in clinical terms."""
    from pathlib import Path

    from txplan.plan.history import NoHistory, versions

    try:
        found = versions(Path(plan))
    except NoHistory as exc:
        _fail(str(exc))
    from txplan.outputs.terminal import clean

    # Commit subjects and authors come from anyone who can commit.
    for version in found:
        line = f"{version.date}  {version.commit}  {version.author}: {version.subject}"
        sys.stdout.write(clean(line) + "\n")
        for change in version.changes:
            sys.stdout.write(f"    {clean(change)}\n")


REDACT_HELP = (
    "De-identify (HIPAA Safe Harbor): names of the client, family, supports and clinicians, "
    "phone numbers, e-mail and street addresses, ZIP codes, member and record numbers and "
    "the NPI become labels such as [CLIENT] wherever they appear, free text included; every "
    "date keeps its year only (ages over 89: [AGE 90 OR OLDER]). Keeps the client ID, so it "
    "must never be made from the client's name or birth date."
)


@command
def render(
    plan: Annotated[str, typer.Argument(help="A plan file, or a folder of plans.")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="html or md.")] = "html",
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File or folder (for a plan; -: the screen, the default), or folder "
            "(for a folder of plans; default: out/ in it).",
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option("--redact", help=REDACT_HELP),
    ] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """The plan as a document to sign, send or print."""
    from txplan.outputs.render import RenderError, render_paths

    try:
        done = render_paths(plan, output_format, output, redact, _parse_today(today), config)
    except RenderError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {exc.filename or 'the output'} ({exc.strerror or exc}).")
    for name, text in done.written:
        if text is not None:
            sys.stdout.write(text)
        else:
            from txplan.outputs.terminal import clean

            sys.stderr.write(f"wrote {clean(name)}\n")
    _refused([*done.refused, *done.removed])


def _refused(refusals: list[str]) -> None:
    """One line per plan a command would not act on, then exit 2."""
    from txplan.outputs.terminal import clean

    for line in refusals:
        sys.stderr.write(f"txplan: {clean(line)}\n")
    if refusals:
        raise typer.Exit(2)


@command
def export(
    plan: Annotated[str, typer.Argument(help="The plan file.")],
    fhir: Annotated[
        bool, typer.Option("--fhir", help="A FHIR R4 Bundle (the only export format).")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (a folder: into it; -: the screen).",
        ),
    ] = None,
    redact: Annotated[bool, typer.Option("--redact", help=REDACT_HELP)] = False,
    config: ConfigOption = None,
) -> None:
    """The plan as a FHIR R4 Bundle (Patient, Condition, CarePlan, Goal, Observation)."""
    import json
    from pathlib import Path

    from txplan.config import ConfigError, ConfigFinder
    from txplan.outputs.fhir import bundle
    from txplan.plan.discover import read_limited
    from txplan.plan.loader import load_bytes
    from txplan.rules.engine import Refusal, sound_plan

    if not fhir:
        _fail("say which format: `txplan export PLAN --fhir`.")
    where = _output_target(output, [plan, *([config] if config else [])])
    path = Path(plan)
    try:
        loaded = load_bytes(read_limited(path))
        settings = ConfigFinder(Path(config) if config else None).for_file(path)
        model = sound_plan(plan, loaded, settings, "before exporting it")
    except OSError as exc:
        _fail(f"{plan}: cannot read the file ({exc.strerror or exc}).")
    except (ConfigError, Refusal) as exc:
        _fail(str(exc))
    text = json.dumps(bundle(model, settings, redact), indent=2, ensure_ascii=False) + "\n"
    if where is not None:
        from txplan.outputs.targets import copy_name

        _write_report(where, text, copy_name(path, model.client.id, redact, "fhir.json"))
    else:
        sys.stdout.write(text)


@command
def schema(
    settings: Annotated[
        bool, typer.Option("--config", help="The schema of txplan.toml instead of a plan's.")
    ] = False,
) -> None:
    """Print the JSON Schema of the plan format (or of txplan.toml), for editors."""
    from txplan.plan.schema import plan_schema_json, settings_schema_json

    sys.stdout.write((settings_schema_json() if settings else plan_schema_json()) + "\n")


# Every command, for --help, for an unknown name and for tests (CliRunner).
app = build()


def run() -> None:
    """Run the app; an unexpected failure is one line, never a traceback."""
    words = [w for w in sys.argv[1:] if not w.startswith("-")]
    chosen = words[0] if words and words[0] in COMMANDS else None
    try:
        try:
            build(chosen)(prog_name="txplan")
        finally:
            sys.stdout.flush()  # a full disk behind `>` shows here, not at exit
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("txplan: interrupted.\n")
        raise SystemExit(130) from None
    except Exception as exc:  # the promise to clinicians: no traceback, ever
        if os.environ.get("TXPLAN_DEBUG"):
            raise
        if isinstance(exc, OSError) and _output_lost(exc):
            raise SystemExit(2) from None
        sys.stderr.write(
            f"txplan: internal error: {type(exc).__name__}: {exc}. This is a bug in txplan; "
            "please report it (set TXPLAN_DEBUG=1 for details).\n"
        )
        raise SystemExit(2) from None


def _output_lost(exc: OSError) -> bool:
    """Say so in one line when the screen's output cannot be written (a full
    disk behind `>`); the rest of it is dropped, not retried at exit."""
    import errno

    if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return False
    sys.stderr.write(f"txplan: cannot write the output ({exc.strerror or exc}).\n")
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return True
