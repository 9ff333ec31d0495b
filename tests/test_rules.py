"""Every rule's failing and passing cases (tests/data/rule_cases.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import DATA, TODAY, edit, example_text, lint_dir
from txplan.rules import REGISTRY

CASES: dict[str, dict[str, list[dict[str, Any]]]] = YAML(typ="safe").load(
    (DATA / "rule_cases.yaml").read_text(encoding="utf-8")
)


def _params() -> list[Any]:
    out = []
    for key, kinds in CASES.items():
        code = kinds.get("code", key)
        for kind in ("fail", "pass"):
            for i, case in enumerate(kinds.get(kind) or []):
                out.append(pytest.param(code, kind, case, id=f"{key}-{kind}-{i}"))
    return out


def _plan_text(case: dict[str, Any]) -> str:
    if "raw" in case:
        return case["raw"]
    text = example_text()
    for old, new in case.get("replace", []):
        assert old in text, f"replace: {old!r} is not in the example"
        text = text.replace(old, new, 1)
    if "set" in case or "delete" in case:
        text = edit(text, case.get("set"), case.get("delete"))
    return text


@pytest.mark.parametrize(("code", "kind", "case"), _params())
def test_rule_case(code: str, kind: str, case: dict[str, Any], plans: Path) -> None:
    files = {"C-1042.plan.yaml": _plan_text(case), **case.get("others", {})}
    result = lint_dir(plans, files, case.get("today", TODAY), case.get("config"))
    where = case.get("file", "C-1042.plan.yaml")
    found = [f for f in result.findings if f.code == code and f.file.endswith(f"/{where}")]
    if kind == "fail":
        assert found, (
            f"{code} did not fire; findings: {[(f.code, f.message) for f in result.findings]}"
        )
        if "line" in case:
            assert case["line"] in {f.span.line for f in found}, [f.span for f in found]
        for f in found:
            assert f.message.strip() and f.span.line >= 1 and f.span.column >= 1
    else:
        assert not found, [f.message for f in found]


# Rules that depend on git history, not on the file: tests/test_history.py.
GIT_RULES = {"X002"}


def test_every_rule_has_failing_and_passing_cases() -> None:
    # Note rules have their cases in note_cases.yaml (tests/test_note_rules.py).
    plan_codes = {code for code, entry in REGISTRY.items() if entry.reads == "plan"}
    for code in plan_codes - GIT_RULES:
        assert CASES.get(code, {}).get("fail"), f"{code} has no failing case"
        assert CASES.get(code, {}).get("pass"), f"{code} has no passing case"
    named = {kinds.get("code", key) for key, kinds in CASES.items()}
    assert named <= set(REGISTRY), named - set(REGISTRY)


def test_the_contract_example_is_clean_at_its_date(plans: Path) -> None:
    result = lint_dir(plans, {"C-1042.plan.yaml": example_text()}, TODAY)
    assert [(f.code, f.message) for f in result.findings] == []
