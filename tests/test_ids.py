"""Client IDs and the ids inside a plan: one pattern (identity.py), and no
character in an id that no one can see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import example_text
from txplan.cli import app
from txplan.plan import identity

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]


def _lint_json(plan: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["lint", str(plan), "--format", "json", *TODAY])
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


def _write(plans: Path, text: str, name: str = "C-1042.plan.yaml") -> Path:
    path = plans / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("1e5", "reads it as a number (100000.0)"),
        ("01043", "reads it as a number (1043)"),
        ("1043", "reads it as a number:"),
    ],
)
def test_a_client_id_written_as_a_number_is_told_to_be_quoted(
    plans: Path, written: str, said: str
) -> None:
    text = example_text().replace("id: C-1042 ", f"id: {written} ")
    plan = _write(plans, text, f"{written}.plan.yaml")
    found = _lint_json(plan)
    [f002] = [f for f in found if f["code"] == "F002"]
    assert f002["path"] == "client.id" and f002["line"] == 4
    assert said in str(f002["message"]) and f'Quote it: `id: "{written}"`' in str(f002["message"])
    # The rest of the plan is still checked, with the ID as written: the file
    # name matches it, so no F007.
    assert "F007" not in {f["code"] for f in found}


@pytest.mark.parametrize(
    ("client_id", "said"),
    [
        ("C-1042\u200b", "U+200B ZERO WIDTH SPACE"),
        ("C-\u202e2401", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("C-1043\n", "U+000A LINE FEED"),
        ("Jordan-Avery", "reads as a person's name"),
        ("C" * 5000, "5000 characters long"),
    ],
)
def test_a_client_id_that_is_no_record_number_is_a_finding_at_client_id(
    plans: Path, client_id: str, said: str
) -> None:
    quoted = json.dumps(client_id)
    plan = _write(plans, example_text().replace("id: C-1042 ", f"id: {quoted} "))
    [finding] = [f for f in _lint_json(plan) if f["path"] == "client.id"]
    message = str(finding["message"])
    assert finding["code"] == "F002" and finding["line"] == 4
    assert said in message and "Write a record number" in message
    # Echoed on one line, invisible characters spelled out, long IDs cut.
    assert "\n" not in message and "\u200b" not in message and "\u202e" not in message
    assert len(message) < 500


def test_zero_width_and_bidi_characters_in_ids_and_links_are_findings(plans: Path) -> None:
    text = example_text()
    text = text.replace("      - id: O1.1\n", "      - id: O1.1\u200b\n", 1)
    assert "\u200b" in text
    text = text.replace("objectives: [O1.1,", 'objectives: ["O1.1\u202e",', 1)
    assert "\u202e" in text
    plan = _write(plans, text)
    result = runner.invoke(app, ["lint", str(plan), *TODAY])
    assert result.exit_code == 1
    lines = text.splitlines()
    hits = [line for line in result.stdout.splitlines() if " C015 " in line]
    assert len(hits) == 2, result.stdout
    for hit, char, name in zip(
        hits,
        "\u200b\u202e",
        ("U+200B ZERO WIDTH SPACE", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        strict=True,
    ):
        # file:line:column points at the invisible character itself.
        _, line_no, column = hit.split(": ", 1)[0].rsplit(":", 2)
        assert lines[int(line_no) - 1][int(column) - 1] == char
        assert name in hit and "write `O1.1`" in hit
    # The same plan without them is clean of C015.
    clean = _write(plans, example_text())
    assert "C015" not in {f["code"] for f in _lint_json(clean)}


def test_a_plain_id_has_no_invisible_characters() -> None:
    assert identity.invisible("O1.1") == []
    assert [c for _, c in identity.invisible("O1.1\u200b\u00a0\ufeff\u2066 x")] == [
        "\u200b",
        "\u00a0",
        "\ufeff",
        "\u2066",
    ]


@pytest.mark.parametrize(
    "client_id",
    ["C-1042", "1043", "INT-0042", "ABC123", "OPT-CBT-12", "c_7.2", "A" * 39 + "1"],
)
def test_record_numbers_are_client_ids(client_id: str) -> None:
    assert identity.is_client_id(client_id) and identity.id_refusal(client_id) is None


@pytest.mark.parametrize(
    "client_id",
    ["", "C-1043\n", "C-1042\u200b", "Jordan-Avery", "C--1", "C-1.", "ABC", "A" * 40 + "1", "١٢٣"],
)
def test_anything_else_is_not(client_id: str) -> None:
    assert not identity.is_client_id(client_id) and identity.id_refusal(client_id)


def test_the_model_and_the_schema_use_the_one_pattern() -> None:
    from txplan.outputs.schema import plan_schema_json

    schema = json.loads(plan_schema_json())
    client = schema["$defs"]["Client"]["properties"]["id"]
    assert client["pattern"] == identity.CLIENT_ID_PATTERN
    assert client["maxLength"] == identity.CLIENT_ID_MAX


@pytest.mark.parametrize(
    "written", ['"C-9\\r\\nATTENDEE:mailto:x@example.invalid"', '"C-9\\u001b[31m"', "1e5"]
)
def test_due_lists_no_plan_whose_id_is_not_a_client_id(plans: Path, written: str) -> None:
    _write(plans, example_text())
    _write(plans, example_text().replace("id: C-1042 ", f"id: {written} "), "C-9.plan.yaml")
    for fmt in ("table", "ics", "json"):
        result = runner.invoke(app, ["due", str(plans), "--format", fmt, *TODAY])
        assert result.exit_code == 2, result.output
        assert "C-1042" in result.stdout and "C-9" not in result.stdout
        assert "ATTENDEE" not in result.stdout and "\x1b" not in result.stdout
        assert "C-9.plan.yaml: not a readable plan; run `txplan lint" in result.stderr
