"""`txplan schema`: the JSON Schema of the plan format, or of txplan.toml,
from the models that check them."""

from __future__ import annotations

import json

SCHEMA_ID = "https://txplan.invalid/schema/plan-1.json"
SETTINGS_ID = "https://txplan.invalid/schema/txplan-toml.json"


def plan_schema() -> dict[str, object]:
    from txplan.plan.model import Plan

    schema = Plan.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "txplan treatment plan, format 1",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def plan_schema_json() -> str:
    return json.dumps(plan_schema(), indent=2)


def settings_schema() -> dict[str, object]:
    from txplan.settings.shape import Settings

    schema = Settings.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SETTINGS_ID,
        **schema,
    }


def settings_schema_json() -> str:
    return json.dumps(settings_schema(), indent=2)
