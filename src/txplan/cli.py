"""The typer app: which commands there are, and running one of them without
a traceback. Each command lives in its own module of txplan.commands, named
as the command, and is imported only when it runs."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from txplan import __version__

# Every command, in the order `txplan --help` lists them; txplan.commands.NAME
# defines the function NAME.
COMMANDS = (
    "lint",
    "due",
    "status",
    "report",
    "rule",
    "init",
    "new",
    "note",
    "measure",
    "review",
    "history",
    "render",
    "export",
    "schema",
    "clean-cache",
)

# Where a command's module lives when it is not txplan.commands.<name>.
_MODULES = {
    "rule": "reference.rule",
    "schema": "reference.schema",
    "clean-cache": "clean_cache",
    "due": "caseload.due",
    "status": "caseload.status",
    "report": "caseload.report",
}


def command_module(name: str) -> Any:
    """The module holding command `name`: its function, EXAMPLE and options."""
    return importlib.import_module(f"txplan.commands.{_MODULES.get(name, name)}")


class _Commands(TyperGroup):
    """The command group, refusing an argument no file name can hold before
    any command turns it into a path."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if any("\0" in arg for arg in args):
            # A shell cannot pass one; a program calling txplan can, and
            # every path call would raise on it.
            sys.stderr.write(
                "txplan: an argument holds a NUL byte (\\0), "
                "which no file name or plan text can hold.\n"
            )
            ctx.exit(2)
        return super().parse_args(ctx, args)


def build(only: str | None = None) -> typer.Typer:
    """The app with every command, or with just `only`: typer inspects each
    registered command's signature on every run, and importing every command
    module costs more than linting a plan."""
    built = typer.Typer(
        name="txplan",
        cls=_Commands,
        help="Check, review and render mental-health treatment plans kept as YAML in git.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        # Plain help, as click writes it: flags read as flags (typer's rich
        # panels label every flag `<bool>`), and it fits a narrow terminal.
        rich_markup_mode=None,
    )
    built.callback()(main)
    for name in COMMANDS:
        if only is None or name == only:
            module = command_module(name)
            # "\b" keeps click from rewrapping the example into a paragraph.
            epilog = f"Example:\n\n\b\n  {module.EXAMPLE}"
            built.command(epilog=epilog)(getattr(module, name.replace("-", "_")))
    return built


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


def __getattr__(name: str) -> Any:
    # `app`, every command, for tests (CliRunner) and library use; built on
    # first use so that `txplan lint` imports only the lint command.
    if name == "app":
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run() -> None:
    """Run the app; an unexpected failure is one line, never a traceback."""
    # Only `txplan COMMAND ...` builds one command: `txplan --help lint` shows them all.
    first = sys.argv[1] if len(sys.argv) > 1 else None
    chosen = first if first in COMMANDS else None
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
