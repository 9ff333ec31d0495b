"""The editor: byte-for-byte round trips, minimal diffs, atomic and safe writes."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

from conftest import ROOT
from txplan.plan import editor

PLANS = sorted(
    [
        *ROOT.glob("examples/*.plan.yaml"),
        *ROOT.glob("examples/flawed/*.plan.yaml"),
        ROOT / "tests" / "data" / "plan-format-example.plan.yaml",
    ]
)
UNREADABLE = {"F-9003.plan.yaml", "F-9004.plan.yaml"}  # a bad date, a syntax error


@pytest.mark.parametrize("source", PLANS, ids=lambda p: p.name)
def test_unchanged_plans_round_trip_byte_for_byte(source: Path, tmp_path: Path) -> None:
    plan = tmp_path / source.name
    plan.write_bytes(source.read_bytes())
    if source.name in UNREADABLE:
        with pytest.raises(editor.EditError, match="fix what `txplan lint"):
            editor.open_plan(plan)
        return
    document = editor.open_plan(plan)
    editor.save(document)
    assert plan.read_bytes() == source.read_bytes()


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_an_edit_changes_only_its_lines(tmp_path: Path) -> None:
    source = ROOT / "tests" / "data" / "plan-format-example.plan.yaml"
    plan = tmp_path / "C-1042.plan.yaml"
    plan.write_bytes(source.read_bytes())
    document = editor.open_plan(plan)
    document.data["goals"][0]["objectives"][0]["status"] = "met"
    editor.save(document)
    assert _diff(source.read_text(), plan.read_text()) == [
        "-        status: in-progress    # not-started | in-progress | met | not-met | revised | discontinued",
        "+        status: met            # not-started | in-progress | met | not-met | revised | discontinued",
    ]


def test_permissions_are_kept(tmp_path: Path) -> None:
    plan = tmp_path / "C-1.plan.yaml"
    plan.write_text("txplan: 1\nclient: {id: C-1}\n")
    plan.chmod(0o600)
    document = editor.open_plan(plan)
    document.data["written"] = "2026-01-01"
    editor.save(document)
    assert stat.S_IMODE(plan.stat().st_mode) == 0o600


def test_refuses_when_the_file_changed_underneath(tmp_path: Path) -> None:
    plan = tmp_path / "C-1.plan.yaml"
    plan.write_text("txplan: 1\nclient: {id: C-1}\n")
    document = editor.open_plan(plan)
    plan.write_text("txplan: 1\nclient: {id: C-1}\n# someone else's edit\n")
    document.data["written"] = "2026-01-01"
    with pytest.raises(editor.ChangedOnDisk):
        editor.save(document)
    assert plan.read_text().endswith("# someone else's edit\n")


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_a_failure_at_any_step_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    plan = tmp_path / "C-1.plan.yaml"
    original = "txplan: 1\nclient: {id: C-1}  # keep me\n"
    plan.write_text(original)
    document = editor.open_plan(plan)
    document.data["written"] = "2026-01-01"

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if step == "write":
        real_fdopen = os.fdopen

        def broken_fdopen(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            handle = real_fdopen(*args, **kwargs)  # type: ignore[call-overload]
            handle.write = boom
            return handle

        monkeypatch.setattr(editor.os, "fdopen", broken_fdopen)
    elif step == "fsync":
        monkeypatch.setattr(editor.os, "fsync", boom)
    else:
        monkeypatch.setattr(editor.os, "replace", boom)
    with pytest.raises(editor.EditError, match="it is unchanged"):
        editor.save(document)
    assert plan.read_text() == original
    assert [p.name for p in tmp_path.iterdir()] == ["C-1.plan.yaml"]  # no temp file left


def test_one_object_in_two_places_is_written_twice_never_as_an_alias(tmp_path: Path) -> None:
    import datetime as dt

    from ruamel.yaml.comments import CommentedMap

    plan = tmp_path / "C-1.plan.yaml"
    plan.write_text("txplan: 1\nclient: {id: C-1}\ngoal: &own {id: G1}\nagain: *own\nreviews: []\n")
    document = editor.open_plan(plan)
    day = dt.date(2026, 4, 6)
    entry = CommentedMap({"date": day, "tags": ["a"]})
    editor.append(document.data, "reviews", entry)
    editor.append(document.data, "reviews", entry)  # the same mapping again
    editor.set_value(document.data, "review_by", day)
    document.data["written"] = day  # bypassing set_value: the editor still copes
    editor.save(document)
    text = plan.read_text()
    assert "&id" not in text and "*id" not in text, text
    assert text.count("2026-04-06") == 4
    # The anchor the clinician wrote is theirs, and stays.
    assert "goal: &own {id: G1}\nagain: *own\n" in text
