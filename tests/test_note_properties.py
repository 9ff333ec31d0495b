"""No input makes the note reader or the note rules raise: every note gets
findings or a one-line error, through the command line."""

from __future__ import annotations

import json
import string
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, example_text
from txplan.cli import app

runner = CliRunner()
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_keys = st.sampled_from(
    [
        "txplan_note", "client", "date", "start", "end", "cpt", "place", "method",
        "participants", "objectives", "id", "interventions", "progress", "scores",
        "instrument", "score", "risk", "signed", "by", "credentials", "time", "x",
    ]
)  # fmt: skip
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates().map(str),
    st.sampled_from(
        ["2026-13-01", "23:59", "00:00", "24:00", "90837", "90839", "90840", "90785", "90853",
         "O1.1", "I1", "telehealth", "C-1042", "9999-12-31", "0001-01-01"]
    ),
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=30,
)


def _lint_note(folder: Path, raw: bytes) -> None:
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    note = folder / "notes" / "C-1042" / "2026-01-26.note.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_bytes(raw)
    result = runner.invoke(
        app, ["lint", str(folder), "--format", "json", "--today", "2026-02-01", "--no-cache"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code != 2:
        data = json.loads(result.stdout)
        assert data["files"] == 2
        for finding in data["findings"]:
            assert finding["line"] >= 1 and finding["column"] >= 1


@SETTINGS
@given(raw=st.binary(max_size=300))
@example(raw=b"---\n")
@example(raw=b"---\n---\n")
@example(raw=b"\xef\xbb\xbf---\ntxplan_note: 1\nclient: C-1042\n---\n")
@example(raw=b"---\r\ntxplan_note: 1\r\nclient: C-1042\r\n---\r\n")
def test_arbitrary_bytes_as_a_note(tmp_path: Path, raw: bytes) -> None:
    _lint_note(tmp_path, raw)


@SETTINGS
@given(text=st.text(alphabet=string.printable + "äé—", max_size=200))
def test_arbitrary_text_after_a_fence(tmp_path: Path, text: str) -> None:
    _lint_note(tmp_path, f"---\n{text}\n---\n".encode())


@SETTINGS
@given(fields=st.dictionaries(_keys, _values, max_size=8))
@example(fields={"date": "9999-12-31", "end": "23:59", "signed": {"date": "9999-12-31"}})
@example(fields={"start": "23:59", "end": "00:00", "cpt": ["90839", "90840", "90840"]})
@example(fields={"participants": 0, "cpt": "90853"})
def test_notes_with_arbitrary_fields(tmp_path: Path, fields: dict[str, object]) -> None:
    note = {"txplan_note": 1, "client": "C-1042", **fields}
    note["txplan_note"] = 1
    note["client"] = "C-1042"
    front = json.dumps(note, default=str)
    _lint_note(tmp_path, f"---\n{front}\n---\nText.\n".encode())
