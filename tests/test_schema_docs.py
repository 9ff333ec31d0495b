"""The plan schema documents itself: every property has a description an
editor can show on hover, every example is valid, and the documented schema
still accepts the plans the repository ships."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import EXAMPLE, ROOT
from txplan.cli import app
from txplan.outputs.schema import plan_schema

Schema = dict[str, Any]


def properties(schema: Schema) -> Iterator[tuple[str, Schema]]:
    """Every property of every object in the schema, as ("Def.name", schema),
    following $defs, $ref, properties, items and anyOf/oneOf/allOf."""
    defs: dict[str, Schema] = schema.get("$defs", {})
    seen: set[str] = set()

    def walk(node: Any, where: str) -> Iterator[tuple[str, Schema]]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item, where)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name not in seen:
                seen.add(name)
                yield from walk(defs[name], name)
        for key, sub in node.get("properties", {}).items():
            yield f"{where}.{key}", sub
            yield from walk(sub, where)
        for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
            yield from walk(node.get(key), where)

    yield from walk(schema, "Plan")
    # A definition nothing refers to would still reach the file an editor reads.
    for name, sub in defs.items():
        if name not in seen:
            seen.add(name)
            yield from walk(sub, name)


def undocumented(schema: Schema) -> list[str]:
    return [
        where
        for where, sub in properties(schema)
        if not (isinstance(sub.get("description"), str) and sub["description"].strip())
    ]


def bad_examples(schema: Schema) -> list[str]:
    """Each `examples` value checked against its own property's schema."""
    bad = []
    for where, sub in properties(schema):
        for example in sub.get("examples", []):
            alone = {**sub, "$defs": schema.get("$defs", {})}
            validator = jsonschema.Draft202012Validator(
                alone, format_checker=jsonschema.FormatChecker()
            )
            bad += [f"{where}: {example!r}: {e.message}" for e in validator.iter_errors(example)]
    return bad


def as_json(value: Any) -> Any:
    """YAML as the JSON an editor's schema check sees: dates as YYYY-MM-DD."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load(path: Path) -> Any:
    return as_json(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


def test_every_property_has_a_description() -> None:
    schema = plan_schema()
    found = list(properties(schema))
    assert len(found) >= 100  # the walk reaches every definition, not just the top
    assert undocumented(schema) == []


def test_every_definition_and_the_plan_itself_are_described() -> None:
    schema = plan_schema()
    assert str(schema.get("description", "")).strip()
    assert [
        n for n, d in schema["$defs"].items() if not str(d.get("description", "")).strip()
    ] == []


def test_a_field_without_a_description_is_caught() -> None:
    class Bare(BaseModel):
        """A model whose one field has no description."""

        named: str | None = None

    assert undocumented(Bare.model_json_schema()) == ["Plan.named"]


def test_every_example_is_valid_for_its_property() -> None:
    schema = plan_schema()
    assert sum(len(sub.get("examples", [])) for _, sub in properties(schema)) >= 50
    assert bad_examples(schema) == []


def test_an_invalid_example_is_caught() -> None:
    wrong = json.loads(json.dumps(plan_schema()))  # a copy: the model's own schema stays
    wrong["$defs"]["Clinician"]["properties"]["npi"]["examples"] = ["12345"]
    wrong["$defs"]["Session"]["properties"]["date"]["examples"] = ["2026-02-30"]
    found = bad_examples(wrong)
    assert len(found) == 2
    assert found[0].startswith("Clinician.npi: '12345'")
    assert found[1].startswith("Session.date: '2026-02-30'")


PLANS = [EXAMPLE, *sorted((ROOT / "examples").glob("*.plan.yaml"))]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_documented_schema_accepts_the_shipped_plans(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(
        plan_schema(), format_checker=jsonschema.FormatChecker()
    )
    assert [e.message for e in validator.iter_errors(load(path))] == []


def test_the_documented_schema_still_refuses_a_typo() -> None:
    data = load(EXAMPLE)
    data["reveiw_by"] = data.pop("review_by")
    validator = jsonschema.Draft202012Validator(plan_schema())
    assert not validator.is_valid(data)


def test_txplan_new_writes_the_documented_schema(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["new", "C-7", "--dir", str(tmp_path), "--no-input", "--today", "2026-02-01"]
    )
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(written)
    assert written == plan_schema()
    assert undocumented(written) == []


def test_txplan_schema_prints_the_descriptions_in_a_real_process() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-m", "txplan", "schema"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    assert printed["$defs"]["Client"]["properties"]["id"]["examples"] == ["C-1042", "INT-0042"]
    assert undocumented(printed) == []
