"""The shipped examples: clean ones lint clean, flawed ones show the rules."""

from __future__ import annotations

import datetime as dt

from conftest import ROOT
from txplan.workflow.lint import lint_paths

EXAMPLES = ROOT / "examples"


def test_clean_examples_have_no_findings_at_all() -> None:
    plans = sorted(str(p) for p in EXAMPLES.glob("*.plan.yaml"))
    assert len(plans) >= 4
    result = lint_paths([*plans, str(EXAMPLES / "notes")], today=dt.date(2026, 11, 22))
    assert [(f.file, f.code, f.message) for f in result.findings] == []
    assert result.notes >= 3


def test_flawed_examples_show_every_rule() -> None:
    from txplan.rules import REGISTRY

    result = lint_paths([str(EXAMPLES / "flawed")], today=dt.date(2026, 11, 22))
    shown = {f.code for f in result.findings}
    # X002 needs an uncommitted edit, which a committed example cannot show.
    assert shown == set(REGISTRY) - {"X002"}, sorted(set(REGISTRY) - shown)
    # Every flawed file shows something.
    per_file = {f.file for f in result.findings if f.severity.value != "info"}
    # A `*.plan.yml` is shown too: by F008, which says it was not read.
    shown_files = [
        *(EXAMPLES / "flawed").glob("*.plan.y*ml"),
        *(EXAMPLES / "flawed").rglob("*.note.md"),
    ]
    assert len(per_file) == len(shown_files)
    assert {f.code for f in result.findings if f.file.endswith(".yml")} == {"F008"}


def test_examples_are_fictional_and_named_by_client_id() -> None:
    from txplan.plan.loader import load_bytes

    for path in EXAMPLES.rglob("*.plan.yaml"):
        loaded = load_bytes(path.read_bytes())
        if loaded.data is None:
            continue
        client = loaded.data.get("client", {})
        if path.parent == EXAMPLES:
            assert path.name == f"{client['id']}.plan.yaml"
        name = str(client.get("name", ""))
        assert not name or name.split()[0] not in path.name
