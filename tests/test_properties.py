"""Property-based tests: whatever the input, no traceback, exit 0/1/2 and,
under --format json, valid JSON."""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import example_text
from txplan.cli import app
from txplan.findings import Finding, Severity, Span
from txplan.plan.loader import load_bytes

runner = CliRunner()
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_keys = st.sampled_from(
    [
        "txplan",
        "client",
        "id",
        "goals",
        "objectives",
        "statement",
        "diagnoses",
        "code",
        "role",
        "review_by",
        "written",
        "frequency",
        "signatures",
        "status",
        "measures",
        "score",
        "x",
    ]
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(str),
    st.sampled_from(["2026-13-01", "F41.1", "f411", "primary", "13:03", "1", "C-1042"]),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(_keys, inner, max_size=6)),
    max_leaves=40,
)


def _lint_bytes(tmp: Path, raw: bytes) -> None:
    plan = tmp / "C-1.plan.yaml"
    plan.write_bytes(raw)
    result = runner.invoke(app, ["lint", str(plan), "--format", "json", "--today", "2026-02-01"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code != 2:
        data = json.loads(result.stdout)
        assert data["files"] == 1
        for finding in data["findings"]:
            assert finding["line"] >= 1 and finding["column"] >= 1


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes(tmp_path: Path, raw: bytes) -> None:
    _lint_bytes(tmp_path, raw)


@SETTINGS
@given(text=st.text(alphabet=string.printable + "äé—\t", max_size=300))
def test_arbitrary_text(tmp_path: Path, text: str) -> None:
    _lint_bytes(tmp_path, text.encode("utf-8"))


@SETTINGS
@given(document=_documents)
def test_arbitrary_yaml_documents(tmp_path: Path, document: object) -> None:
    # JSON is YAML: any structure of plain values, as a plan might hold.
    _lint_bytes(tmp_path, json.dumps(document, default=str).encode("utf-8"))


@SETTINGS
@given(document=st.dictionaries(_keys, _documents, max_size=6))
def test_plans_with_arbitrary_sections(tmp_path: Path, document: dict[str, object]) -> None:
    base = {"txplan": 1, "client": {"id": "C-1"}, **document}
    base["txplan"] = 1
    _lint_bytes(tmp_path, json.dumps(base, default=str).encode("utf-8"))


@SETTINGS
@given(
    cut=st.integers(0, 6000),
    junk=st.sampled_from(["", ":", "- ", "{", "]", "\t", "&a *a", "!!x", "'"]),
)
def test_truncated_and_corrupted_example(tmp_path: Path, cut: int, junk: str) -> None:
    text = example_text()
    cut %= len(text)
    _lint_bytes(tmp_path, (text[:cut] + junk + text[cut:]).encode("utf-8"))


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_loader_never_raises(raw: bytes) -> None:
    load_bytes(raw)


_NAMES = st.one_of(
    st.none(),
    st.text(alphabet=string.printable + "äé\x00\u202e", max_size=40),
    st.sampled_from(["C-1.plan.yaml", "../x.plan.yaml", "/dev/null", "-", "dir/"]),
)


@SETTINGS
@given(raw=st.binary(max_size=400), name=_NAMES, fmt=st.sampled_from(["text", "json", "junit"]))
@example(raw=b"", name="\x00/0", fmt="text")  # found by CI: the name reached Path.resolve()
def test_standard_input_of_any_bytes_under_any_name(raw: bytes, name: str | None, fmt: str) -> None:
    named = [] if name is None else ["--stdin-filename", name]
    result = runner.invoke(
        app, ["lint", "-", *named, "-f", fmt, "--today", "2026-02-01"], input=raw
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2), result.output
    if fmt == "json" and result.exit_code != 2:
        assert json.loads(result.stdout)["files"] == 1


@SETTINGS
@given(typed=st.text(alphabet=string.printable + "äé\x00/", max_size=30))
@example(typed="a\x00/b")
def test_completion_never_raises(typed: str) -> None:
    from txplan.commands import complete_instruments, complete_plans, complete_rule_codes

    for complete in (complete_plans, complete_rule_codes, complete_instruments):
        assert all(isinstance(word, str) for word in complete(typed))


_FINDINGS = st.lists(
    st.builds(
        Finding,
        code=st.text(max_size=5),
        name=st.text(max_size=8),
        severity=st.sampled_from(list(Severity)),
        message=st.text(),
        path=st.lists(st.one_of(st.text(max_size=6), st.integers(0, 99)), max_size=3).map(tuple),
        span=st.builds(Span, *(st.integers(1, 10**6) for _ in range(4))),
        file=st.text(max_size=20),
    ),
    max_size=4,
)


@SETTINGS
@given(findings=_FINDINGS, files=st.integers(0, 10**5))
def test_the_json_report_is_what_json_dumps_writes(findings: list[Finding], files: int) -> None:
    # as_json writes the indented JSON itself, for speed; it must not differ by a byte.
    from txplan.outputs.reporters import JSON_VERSION, as_json, counts

    expected = {
        "version": JSON_VERSION,
        "files": files,
        "findings": [f.to_json() for f in findings],
        "summary": counts(findings),
    }
    assert as_json(findings, files) == json.dumps(expected, indent=2, ensure_ascii=False)


class _Recorder:
    """A text stream that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)


def test_the_json_report_is_written_a_finding_at_a_time() -> None:
    # A caseload's report, built whole before it was written, was the largest
    # object of the run: the report must reach the stream in pieces.
    from txplan.outputs.reporters import as_json, write_json

    findings = [
        Finding("C009", "placeholder-text", Severity.ERROR, f"message {i}", ("goals", i), file="a")
        for i in range(50)
    ]
    out = _Recorder()
    write_json(findings, 3, out)  # type: ignore[arg-type]
    assert len(out.writes) > len(findings)
    assert max(len(piece) for piece in out.writes) < 400
    assert "".join(out.writes) == as_json(findings, 3)


_PLACEHOLDER_TEXT = st.lists(
    st.sampled_from(["TODO", "TBD", "<", ">", "_", "[", "]", "insert", "#", " ", "\n", "a", "X"]),
    max_size=12,
).map("".join)


@SETTINGS
@given(texts=st.lists(st.one_of(_PLACEHOLDER_TEXT, st.text(max_size=30)), max_size=5))
@example(texts=["No placeholder.", "[insert the date]"])
@example(texts=["<the client's goal>"])
@example(texts=["a", "____"])
@example(texts=["TODO", "TBD", "FIXME", "XXX"])
def test_a_placeholder_is_found_in_many_texts_as_in_each(texts: list[str]) -> None:
    # C009 first asks once whether a plan's texts hold any placeholder, and
    # looks in each text only then: that question must never miss one.
    from txplan.plan import placeholders

    in_each = [placeholders.find_all(text) for text in texts]
    assert in_each == [placeholders.PATTERN.findall(text) for text in texts]
    if any(in_each):
        assert placeholders.any_in(texts)


def test_findings_and_records_carry_no_per_object_dictionary() -> None:
    # A caseload's run holds tens of thousands of findings and spans until the
    # report: slots keep each one small.
    from txplan.records import ObjectiveText, PlanRecord
    from txplan.workflow.results import FileResult

    span = Span()
    made = [
        span,
        Finding("C009", "placeholder-text", Severity.ERROR, "m"),
        ObjectiveText("O1.1", "0" * 32, span, 0, 0),
        PlanRecord("a", "C-1", span),
        FileResult("a", []),
    ]
    assert not any(hasattr(obj, "__dict__") for obj in made)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=25,
)


@SETTINGS
@given(value=_JSON_VALUES)
@example(value={"a": [1, {"b": None, "c": [True, 2.5, 'é\n"x"']}], "d": {}, "e": []})
@example(value={"severity": Severity.ERROR, "nested": {1: [Severity.INFO]}})
def test_indented_json_is_what_json_dumps_writes(value: object) -> None:
    # `due` and `status` write their JSON with jsontext, for speed: it must
    # not differ by a byte from what they wrote with json.dumps.
    from txplan.outputs import jsontext

    expected = json.dumps(value, indent=2, ensure_ascii=False)
    assert jsontext.dumps(value) == expected
    # Written inside a larger document, every line after the first is indented.
    assert jsontext.dumps(value, at="  ") == expected.replace("\n", "\n  ")


_NAMES_OF_FILES = st.sampled_from(["C-1.plan.yaml", "sub/C-2.plan.yaml", "é.plan.yaml"])
_SPANS = st.builds(Span, *(st.integers(1, 10**6) for _ in range(4)))


@st.composite
def _results(draw: st.DrawFn) -> Any:
    from txplan.records import ObjectiveText, PlanRecord

    file = draw(_NAMES_OF_FILES)
    findings = [
        Finding(
            draw(st.sampled_from(["C009", "R002", "X002"])),
            draw(st.text(max_size=12)),
            draw(st.sampled_from(list(Severity))),
            draw(st.text(max_size=40)),
            tuple(draw(st.lists(st.text(max_size=5) | st.integers(0, 9), max_size=5))),
            draw(_SPANS),
            draw(st.just(file) | _NAMES_OF_FILES),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    record = None
    if draw(st.booleans()):
        objectives = tuple(
            ObjectiveText(
                draw(st.text(max_size=6)),
                draw(st.text(max_size=32)),
                draw(_SPANS),
                draw(st.integers(0, 20)),
                draw(st.integers(0, 20)),
            )
            for _ in range(draw(st.integers(0, 4)))
        )
        owner = draw(st.just(file) | _NAMES_OF_FILES)
        record = PlanRecord(owner, draw(st.text(max_size=8)), draw(_SPANS), objectives)
    return file, findings, record


@settings(max_examples=200, deadline=None)
@given(result=_results())
def test_a_cache_entry_reads_back_as_the_result_it_was_made_from(result: Any) -> None:
    from txplan.workflow import cache

    stored = json.loads(json.dumps(cache._encode(result), ensure_ascii=False))
    assert cache._decode(stored) == result


def _stamped(value: Any, stamp: list[Any]) -> Any:
    """`value`, or (for a list drawn to stand for a stats entry) the real
    stamp followed by what was drawn: a stat that matches and a hash that
    is anything at all."""
    return [*stamp, *value[1:]] if isinstance(value, list) and value[:1] == ["stamp"] else value


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entry=st.none() | _JSON_VALUES,
    stat=st.none() | _JSON_VALUES | st.lists(_JSON_VALUES, max_size=2).map(lambda v: ["stamp", *v]),
    command=st.sampled_from(["lint", "due"]),
)
@example(entry=None, stat=["stamp", "é"], command="lint")
@example(entry=None, stat=["stamp", "\ud800"], command="due")
def test_a_cache_file_holding_anything_is_ignored_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: Any, stat: Any, command: str
) -> None:
    # Whatever a cache file's entries and stats hold, the run answers as
    # without the cache: no traceback, no finding taken from it.
    from txplan.workflow import cache, due
    from txplan.workflow.lint import lint_paths

    monkeypatch.setattr(cache, "SETTLED_NS", -(10**18))  # stats of new files trusted
    plans = tmp_path / f"plans-{command}"
    plan = plans / "C-1042.plan.yaml"
    if not plan.exists():
        plans.mkdir()
        plan.write_text(example_text())

    def run(use_cache: bool) -> Any:
        today = dt.date(2026, 2, 1)
        if command == "lint":
            return [
                f.to_json()
                for f in lint_paths([str(plans)], today=today, use_cache=use_cache).findings
            ]
        rows, problems = due.collect([str(plans)], today, use_cache=use_cache)
        return [r.to_json() for r in rows], problems

    expected = run(False)
    run(True)
    path = plans / cache.FOLDER_NAME / ("lint.json" if command == "lint" else "due.json")
    data = json.loads(path.read_text())
    data["entries"] = {k: _stamped(entry, []) for k in data["entries"]}
    data["stats"] = {k: _stamped(stat, v[:5]) for k, v in data["stats"].items()}
    path.write_text(json.dumps(data))
    assert run(True) == expected
