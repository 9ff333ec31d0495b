"""The ICD-10-CM index: generated from simple-icd-10-cm, never hand-typed."""

from __future__ import annotations

import filecmp
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from txplan.clinical import icd

INDEX = ROOT / "src" / "txplan" / "data" / "icd10cm"


@pytest.mark.skipif(
    importlib.util.find_spec("simple_icd_10_cm") is None, reason="needs test extras"
)
def test_shipped_index_is_exactly_what_the_package_data_gives(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_icd_index.py"), str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shipped = sorted(p.name for p in INDEX.iterdir() if p.name != "__pycache__")
    assert sorted(p.name for p in tmp_path.iterdir()) == shipped
    _match, mismatch, errors = filecmp.cmpfiles(INDEX, tmp_path, shipped, shallow=False)
    assert mismatch == [] and errors == []


def test_billable_and_category_codes() -> None:
    gad = icd.lookup("F41.1")
    assert gad is not None and gad.billable and gad.title == "Generalized anxiety disorder"
    category = icd.lookup("F41")
    assert category is not None and not category.billable
    assert icd.lookup("F99") is not None and icd.lookup("F99").billable  # type: ignore[union-attr]
    assert icd.lookup("F32.A") is not None  # a 2022 addition older snapshots miss
    assert icd.lookup("F41.7") is None and icd.lookup("") is None


def test_extended_codes_with_a_seventh_character() -> None:
    info = icd.lookup("T74.11XA")
    assert info is not None and info.billable


def test_canonical_spelling() -> None:
    assert icd.canonical_spelling("f411") == "F41.1"
    assert icd.canonical_spelling(" F41.1 ") == "F41.1"
    assert icd.canonical_spelling("F43.10") == "F43.10"
    assert icd.canonical_spelling("F41") == "F41"
    assert icd.canonical_spelling("300.02") is None
    assert icd.canonical_spelling("F41-F48") is None


def test_children_and_nearest() -> None:
    assert [c.code for c in icd.billable_children("F43.1")] == ["F43.10", "F43.11", "F43.12"]
    assert "F41.1" in [c.code for c in icd.nearest("F41.7")]
    assert icd.nearest("300.02") == []


def test_a_plan_loads_only_the_letters_it_uses() -> None:
    icd._letter.cache_clear()
    icd.lookup("F41.1")
    assert icd._letter.cache_info().currsize == 1
