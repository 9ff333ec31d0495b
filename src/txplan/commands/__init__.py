"""The commands, one module each, named as the command. Each parses its
options, calls the function that does the work (txplan.workflow, txplan.rules,
txplan.outputs) and prints. What they share lives here: the common options,
one-line failures (exit 2), dates, colour and `-o`."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from txplan.outputs import targets


def fail(message: str) -> NoReturn:
    """A one-line error and exit 2: the command could not run as asked."""
    from txplan.outputs.terminal import clean

    sys.stderr.write(f"txplan: {clean(message)}\n")
    raise typer.Exit(2)


def parse_today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--today: '{value}' is not a date; write YYYY-MM-DD, e.g. 2026-02-01.")


def use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def output_target(output: str | None, inputs: list[str]) -> targets.Target | None:
    """Where `-o` sends the output, checked before any work (txplan.outputs.targets);
    None for the screen (no `-o`, or `-o -`)."""
    if output is None or output == "-":
        return None
    from txplan.outputs import targets as outputs

    try:
        return outputs.target(output, inputs)
    except outputs.OutputError as exc:
        fail(str(exc))


def write_report(where: targets.Target, text: str, name: str) -> None:
    """A report quotes plan text, so it is written like a plan: owner-only, atomically."""
    from txplan.outputs import targets as outputs

    try:
        where.write(text, name)
    except outputs.OutputError as exc:
        fail(str(exc))


def parse_date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' is not a date; write YYYY-MM-DD.")


def refused(refusals: list[str]) -> None:
    """One line per plan a command would not act on, then exit 2."""
    from txplan.outputs.terminal import clean

    for line in refusals:
        sys.stderr.write(f"txplan: {clean(line)}\n")
    if refusals:
        raise typer.Exit(2)


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

NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Read every plan again; neither read nor write the cache."),
]

CacheDirOption = Annotated[
    str | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Keep the cache in DIR (default: .txplan_cache beside the txplan.toml).",
    ),
]


# Where lint and report write a report: owner-only, whole or not at all.
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE, owner-only (a folder: into it; -: the screen).",
    ),
]


QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
]


REDACT_HELP = (
    "De-identify (HIPAA Safe Harbor): names of the client, family, supports and clinicians, "
    "phone numbers, e-mail and street addresses, ZIP codes, member and record numbers and "
    "the NPI become labels such as [CLIENT] wherever they appear, free text included; every "
    "date keeps its year only (ages over 89: [AGE 90 OR OLDER]). Keeps the client ID, so it "
    "must never be made from the client's name or birth date."
)


# --- shell completion (`txplan --install-completion`) ----------------------------
# Each completer answers while the shell waits, so each is cheap: a folder
# listing, the rule registry, the instrument catalog.


def complete_plans(incomplete: str) -> list[str]:
    """Plan files (named by client ID) and folders under what was typed so far."""
    from pathlib import Path

    from txplan.plan.files import PLAN_SUFFIX

    folder, slash, start = incomplete.rpartition("/")
    base = Path(folder or ("/" if slash else "."))  # "/tm": the root's entries
    try:
        entries = sorted(base.iterdir())
    except (OSError, ValueError):  # no such folder, or a NUL typed into the path
        return []
    prefix = f"{folder}{slash}"
    return [
        f"{prefix}{entry.name}{'/' if entry.is_dir() else ''}"
        for entry in entries
        if entry.name.startswith(start)
        and not entry.name.startswith(".")
        and (entry.is_dir() or entry.name.endswith(PLAN_SUFFIX))
    ]


def complete_rule_codes(incomplete: str) -> list[str]:
    """Rule codes, and the last of a comma-separated list (`S001,S0`)."""
    from txplan.rules import REGISTRY

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [f"{prefix}{code}" for code in REGISTRY if code.startswith(last.upper())]


def complete_instruments(incomplete: str) -> list[str]:
    from txplan.clinical.instruments import known_names
    from txplan.config import Config

    return [name for name in known_names(Config()) if name.lower().startswith(incomplete.lower())]


# The plans a command reads, and the one plan a command edits or exports.
PlansArgument = Annotated[
    list[str] | None,
    typer.Argument(
        autocompletion=complete_plans,
        metavar="PATH",
        help="Plan files or folders (default: here).",
    ),
]
PlanArgument = Annotated[
    str, typer.Argument(autocompletion=complete_plans, metavar="PLAN", help="The plan file.")
]
