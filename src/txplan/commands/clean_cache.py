"""`txplan clean-cache`: remove the caches of lint, due and status."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from txplan.commands import PlansArgument, fail

# The last line of `txplan clean-cache --help`, and docs/cli.md's example.
EXAMPLE = "txplan clean-cache plans/"


def clean_cache(
    paths: PlansArgument = None,
    cache_dir: Annotated[
        str | None,
        typer.Option(
            "--cache-dir",
            metavar="DIR",
            help="The cache folder given to lint, due or status with --cache-dir.",
        ),
    ] = None,
) -> None:
    """Remove the cache that lint, due and status keep.

    Each .txplan_cache folder under the folders given (default: here) goes,
    and the one beside the txplan.toml that governs them; with --cache-dir,
    that folder. Only files txplan wrote are removed.
    """
    from txplan.config import ConfigError
    from txplan.outputs.terminal import clean as shown
    from txplan.workflow.cache import cache_folders, clean

    given = [Path(p) for p in (paths or ["."])]
    for path in given:
        if not path.exists():
            fail(f"{path}: no such file or folder.")
    try:
        folders = [Path(cache_dir)] if cache_dir else cache_folders(given)
    except ConfigError as exc:
        fail(str(exc))
    done = clean(folders)
    sys.stdout.write("".join(shown(line) + "\n" for line in done.lines()))
    for error in done.errors:
        sys.stderr.write(f"txplan: {shown(error)}\n")
    if done.errors:
        raise SystemExit(2)
