"""`txplan export`: the plan as a FHIR R4 Bundle (Patient, Condition, CarePlan, Goal, Observation)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import (
    REDACT_HELP,
    ConfigOption,
    PlanArgument,
    fail,
    output_target,
    write_report,
)

# The last line of `txplan export --help`, and docs/cli.md's example.
EXAMPLE = "txplan export plans/C-1042.plan.yaml --fhir --redact -o bundles/"


def export(
    plan: PlanArgument,
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
    """The plan as a FHIR R4 Bundle.

    Patient, Practitioner, Condition, CarePlan, Goal and Observation resources.
    """
    import json
    from pathlib import Path

    from txplan.config import ConfigError
    from txplan.outputs.fhir import bundle
    from txplan.plan.files import cannot_read, read_limited
    from txplan.plan.loader import load_bytes
    from txplan.settings.reading import ConfigFinder
    from txplan.workflow.lint import Refusal, sound_plan

    if not fhir:
        fail("say which format: `txplan export PLAN --fhir`.")
    where = output_target(output, [plan, *([config] if config else [])])
    path = Path(plan)
    try:
        loaded = load_bytes(read_limited(path))
        settings = ConfigFinder(Path(config) if config else None).for_file(path)
        model = sound_plan(plan, loaded, settings, "before exporting it")
    except OSError as exc:
        fail(cannot_read(plan, exc))
    except (ConfigError, Refusal) as exc:
        fail(str(exc))
    text = json.dumps(bundle(model, settings, redact), indent=2, ensure_ascii=False) + "\n"
    if where is not None:
        from txplan.outputs.targets import copy_name

        write_report(where, text, copy_name(path, model.client.id, redact, "fhir.json"))
    else:
        sys.stdout.write(text)
