"""`txplan export --fhir`: a FHIR R4 Bundle, validated with fhir.resources (R4B)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from txplan.cli import app

runner = CliRunner()
PLANS = [
    *sorted(ROOT.glob("examples/*.plan.yaml")),
    ROOT / "tests" / "data" / "plan-format-example.plan.yaml",
]
bundle_model = pytest.importorskip("fhir.resources.R4B.bundle").Bundle


def _export(path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["export", str(path), "--fhir", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_example_is_a_valid_r4_bundle(path: Path) -> None:
    from txplan.plan.loader import load_bytes
    from txplan.plan.validate import validate

    data = _export(path)
    validated = bundle_model.model_validate(data)
    kinds = Counter(type(e.resource).__name__ for e in validated.entry)
    loaded = load_bytes(path.read_bytes())
    plan = validate(loaded.data, loaded.positions).plan
    assert kinds["Patient"] == 1 and kinds["CarePlan"] == 1
    assert kinds["Condition"] == len(plan.diagnoses)
    assert kinds["Goal"] == len(plan.goals) + sum(len(g.objectives) for g in plan.goals)
    assert kinds["Observation"] == len(plan.measures)
    careplan = next(e.resource for e in validated.entry if type(e.resource).__name__ == "CarePlan")
    assert careplan.intent == "plan" and len(careplan.activity) == len(plan.interventions)
    assert str(careplan.period.start) == str(plan.written)


def test_codes_statuses_and_links() -> None:
    data = _export(ROOT / "tests" / "data" / "plan-format-example.plan.yaml")
    resources = [e["resource"] for e in data["entry"]]
    by_type: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for r in resources:
        by_type.setdefault(r["resourceType"], []).append(r)
    conditions = {c["code"]["coding"][0]["code"]: c for c in by_type["Condition"]}
    assert conditions["F41.1"]["code"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/icd-10-cm"
    assert (
        conditions["F32.1"]["verificationStatus"]["coding"][0]["code"] == "provisional"
    )  # rule-out
    objective = next(
        g
        for g in by_type["Goal"]
        if g["description"]["text"].startswith("Client will reduce GAD-7")
    )
    target = objective["target"][0]
    assert target["measure"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "70274-6",
        "display": "GAD-7 total score",
    }
    assert target["detailQuantity"]["value"] == 9 and target["dueDate"] == "2026-04-06"
    assert objective["lifecycleStatus"] == "active"
    parent = objective["extension"][0]["extension"][1]["valueReference"]["reference"]
    assert parent in {
        e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Goal"
    }
    observation = by_type["Observation"][0]
    assert (
        observation["code"]["coding"][0]["code"] == "70274-6"
        and observation["valueQuantity"]["value"] == 15
    )


def test_stable_and_redacted(tmp_path: Path) -> None:
    source = ROOT / "examples" / "C-2002.plan.yaml"
    assert _export(source) == _export(source)
    redacted = json.dumps(_export(source, "--redact"))
    for secret in ("Dana", "Whitcombe", "1975-02-19", "MCD-5512-0973", "1548203967", "Reyes-Lind"):
        assert secret not in redacted
    assert "C-2002" in redacted and '"birthDate": "1975"' in redacted
    target = tmp_path / "bundle.json"
    assert runner.invoke(app, ["export", str(source), "--fhir", "-o", str(target)]).exit_code == 0
    bundle_model.model_validate(json.loads(target.read_text()))


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_redacted_bundles_are_valid_with_dates_as_years(path: Path) -> None:
    data = _export(path, "--redact")
    bundle_model.model_validate(data)
    text = json.dumps(data)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # a year alone is a valid FHIR date
    assert data["meta"]["security"][0]["code"] == "REDACTED"
    assert "Avery will" not in text and "Jordan" not in text


def test_export_needs_a_format_and_a_readable_plan(tmp_path: Path) -> None:
    source = ROOT / "examples" / "C-2002.plan.yaml"
    assert runner.invoke(app, ["export", str(source)]).exit_code == 2
    broken = tmp_path / "C-1.plan.yaml"
    broken.write_text("txplan: 1\nclient: [\n")
    result = runner.invoke(app, ["export", str(broken), "--fhir"])
    assert result.exit_code == 2 and "txplan lint" in result.stderr
