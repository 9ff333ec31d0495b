"""`txplan new`: check what the clinician asked for, ask for what is missing
(only on a terminal), render the scaffold and write it without overwriting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from txplan.clinical import icd
from txplan.config import Config, ConfigError
from txplan.plan import placeholders
from txplan.settings.reading import ConfigFinder
from txplan.workflow import scaffold

SCHEMA_FILE = "plan.schema.json"


class Refused(Exception):
    """The request cannot be carried out as given (exit 2)."""


class Exists(Exception):
    """The plan file exists; nothing was written (exit 1)."""


@dataclass(frozen=True)
class Options:
    client_id: str
    today: dt.date
    template: str | None = None
    diagnosis: str | None = None
    name: str | None = None
    dob: str | None = None
    payer: str | None = None
    clinician: str | None = None
    credentials: str | None = None
    folder: str = "."
    config: str | None = None


class Ask(Protocol):
    def __call__(self, question: str, check: Callable[[str], str | None], optional: bool) -> str:
        """The answer, asked again until `check` returns None (no problem)."""
        ...


def template_listing() -> str:
    lines = [f"{t.name:<24}{t.code or '-':<9}{t.title}" for t in scaffold.catalog().values()]
    return "\n".join(["template                code     for", *lines]) + "\n"


def code_problem(raw: str) -> str | None:
    """Why `raw` cannot be the plan's diagnosis code, with suggestions; None if it can."""
    spelled = icd.canonical_spelling(raw)
    info = icd.lookup(spelled) if spelled else None
    if info is None:
        near = "; ".join(f"{c.code} ({c.title})" for c in icd.nearest(spelled or raw))
        return f"'{raw}' is not an ICD-10-CM code." + (f" Nearest: {near}." if near else "")
    if not info.billable:
        children = "; ".join(f"{c.code} ({c.title})" for c in icd.billable_children(info.code))
        return f"{info.code} ({info.title}) is a category; choose a billable code: {children}."
    return None


def date_problem(raw: str) -> str | None:
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        return f"'{raw}' is not a date; write YYYY-MM-DD, e.g. 1991-03-14."
    return None


def create_plan(options: Options, ask: Ask | None = None) -> str:
    """Write the scaffold; return what to tell the clinician."""
    from txplan.plan import identity

    refusal = identity.id_refusal(options.client_id)
    if refusal:
        raise Refused(refusal)
    folder = Path(options.folder)
    if not folder.is_dir():
        raise Refused(f"{folder}: no such folder.")
    target = folder / f"{options.client_id}.plan.yaml"
    if target.exists():
        raise Exists(f"{target} exists; txplan never overwrites a plan. Edit it instead.")
    try:
        config = ConfigFinder(Path(options.config) if options.config else None).for_file(target)
    except ConfigError as exc:
        raise Refused(str(exc)) from None
    _check_client_id(options.client_id, options.name, options.dob)
    request = _request(options, ask, config)
    _check_client_id(request.client_id, request.name, request.dob)
    schema = _schema_reference(folder, config)
    try:
        text = scaffold.render(request, config, options.today, schema)
    except OverflowError:
        # The review date is the start plus the payer's cycle; past 9999-12-31
        # there is no date to write.
        raise Refused(
            f"--today {options.today.isoformat()}: the review date would fall after "
            f"{dt.date.max.isoformat()}, the last date there is; give a real start date."
        ) from None
    from txplan.plan import files

    try:
        files.create(target, text)
    except files.FileExists:
        raise Exists(f"{target} exists; txplan never overwrites a plan. Edit it instead.") from None
    from txplan.plan.loader import load_text

    # Counted in the values as read, as C009 reports them: one per placeholder,
    # none for the comments' examples.
    left = placeholders.count(load_text(text).data)
    return (
        f"Wrote {target} from the {request.template.name} template "
        f"({request.template.title}).\n"
        f"It holds {left} placeholder{'' if left == 1 else 's'} (<...>) for what only you and "
        "the client can write; "
        f"`txplan lint {target}` lists each with its line."
    )


def payer_problem(raw: str, config: Config) -> str | None:
    """Why `raw` cannot be the plan's payer (one line naming the known keys);
    None if it is a key of [payers]."""
    if raw in config.payers:
        return None
    where = str(config.path) if config.path else "txplan.toml"
    if not config.payers:
        return (
            f"'{raw}' is not a payer: {where} has no [payers]. Add `[payers.{raw}]` with "
            "`review_days = 90` (the payer's cycle) first, or leave the payer out."
        )
    nearest = config.nearest_payer(raw)
    hint = f" did you mean '{nearest}'?" if nearest else ""
    return f"'{raw}' is not a payer in {where}:{hint} Payers: {', '.join(config.payers)}."


def _check_client_id(client_id: str, name: str | None, dob: str | dt.date | None) -> None:
    from txplan.plan import identity

    if isinstance(dob, str):
        dob = None if date_problem(dob) else dt.date.fromisoformat(dob)
    reason = identity.identifying(client_id, name, dob)
    if reason:
        raise Refused(identity.advice(client_id, reason))


def _request(options: Options, ask: Ask | None, config: Config) -> scaffold.Request:
    if options.payer is not None:
        problem = payer_problem(options.payer, config)
        if problem:
            raise Refused(f"--payer: {problem}")
    templates = scaffold.catalog()
    if options.template is not None and options.template not in templates:
        raise Refused(
            f"no template '{options.template}'. Templates: {', '.join(templates)} "
            "(`txplan new --list-templates`)."
        )
    diagnosis = options.diagnosis
    if diagnosis is None and options.template is None and ask is not None:
        diagnosis = ask(
            "ICD-10-CM diagnosis code (blank for the blank template)", code_problem, True
        )
    code = None
    if diagnosis:
        problem = code_problem(diagnosis)
        if problem:
            raise Refused(f"--diagnosis: {problem}")
        code = icd.canonical_spelling(diagnosis)
    template = templates[options.template] if options.template else scaffold.for_diagnosis(code)

    def answer(given: str | None, question: str, check: Callable[[str], str | None]) -> str | None:
        if given is not None or ask is None:
            return given
        return ask(question, check, True) or None

    no_check: Callable[[str], str | None] = lambda _: None  # noqa: E731
    name = answer(options.name, "Client's name (kept inside the file, never in its name)", no_check)
    dob_text = answer(options.dob, "Date of birth (YYYY-MM-DD)", date_problem)
    if dob_text and date_problem(dob_text):
        raise Refused(f"--dob: {date_problem(dob_text)}")
    clinician = answer(options.clinician, "Your name, as you sign", no_check)
    credentials = answer(options.credentials, "Your credentials (e.g. LCSW)", no_check)
    payer = answer(
        options.payer,
        "Payer (a key of [payers] in txplan.toml; blank if none)",
        lambda raw: payer_problem(raw, config),
    )
    return scaffold.Request(
        client_id=options.client_id,
        template=template,
        code=code,
        name=name,
        dob=dt.date.fromisoformat(dob_text) if dob_text else None,
        payer=payer,
        clinician=clinician,
        credentials=credentials,
    )


def _schema_reference(folder: Path, config: Config) -> str:
    """Where the plan's `yaml-language-server` comment points: plan.schema.json
    beside txplan.toml (or in the plans folder), written there if missing."""
    home = config.path.parent if config.path else folder
    schema_path = home / SCHEMA_FILE
    if not schema_path.exists():
        from txplan.outputs.schema import plan_schema_json
        from txplan.plan import files

        # Someone else wrote it, or the folder is read-only: the plan works without it.
        with contextlib.suppress(files.FileExists, OSError):
            files.create(schema_path, plan_schema_json() + "\n", mode=0o644)
    return os.path.relpath(schema_path, folder)


def terminal_prompts() -> Ask:
    """Questions on the terminal (rich), repeated until the answer is usable."""
    from rich.console import Console
    from rich.markup import escape
    from rich.prompt import Prompt

    console = Console(stderr=True)

    def ask(question: str, check: Callable[[str], str | None], optional: bool) -> str:
        while True:
            # escape: "[payers]" is text here, not rich markup.
            answer = Prompt.ask(
                escape(question),
                console=console,
                default="" if optional else None,
                show_default=False,
            )
            answer = (answer or "").strip()
            if not answer and optional:
                return ""
            problem = check(answer)
            if problem is None:
                return answer
            console.print(f"[yellow]{escape(problem)}[/yellow]")

    return ask
