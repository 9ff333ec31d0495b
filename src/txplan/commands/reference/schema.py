"""`txplan schema`: print the JSON Schema of the plan format (or of txplan.toml), for editors."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

# The last line of `txplan schema --help`, and docs/cli.md's example.
EXAMPLE = "txplan schema > plan.schema.json"


def schema(
    settings: Annotated[
        bool, typer.Option("--config", help="The schema of txplan.toml instead of a plan's.")
    ] = False,
) -> None:
    """Print the JSON Schema of the plan format, for editors.

    With --config, the schema of txplan.toml.
    """
    from txplan.outputs.schema import plan_schema_json, settings_schema_json

    sys.stdout.write((settings_schema_json() if settings else plan_schema_json()) + "\n")
