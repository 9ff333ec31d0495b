"""`txplan init`: make a plans folder: txplan.toml, .gitignore, a pre-commit hook, git."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import fail

# The last line of `txplan init --help`, and docs/cli.md's example.
EXAMPLE = "txplan init plans"


def init(
    folder: Annotated[
        str, typer.Argument(metavar="FOLDER", help="The plans folder (created if missing).")
    ] = ".",
) -> None:
    """Make a plans folder.

    It gets txplan.toml, .gitignore, a pre-commit hook and a git repository.
    """
    from pathlib import Path

    from txplan.workflow.init_folder import init as make_folder

    try:
        report = make_folder(Path(folder))
    except OSError as exc:
        fail(f"{folder}: {exc.strerror or exc}.")
    from txplan.outputs.terminal import clean_lines

    sys.stdout.write(clean_lines("\n".join(report.lines(Path(folder)))) + "\n")
