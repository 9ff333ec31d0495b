"""The wheel a clinic installs carries the ICD index and the templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(result.stderr[-2000:])
    return next(out.glob("txplan-*.whl"))


def test_wheel_holds_data_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "txplan/data/icd10cm/F.tsv.gz" in names
    assert "txplan/data/icd10cm/RELEASE" in names
    assert "txplan/templates/README.md" in names
    assert "txplan/templates/scaffolds/index.toml" in names
    assert "txplan/templates/scaffolds/gad.plan.yaml.j2" in names
    assert "txplan/templates/init/txplan.toml.j2" in names
    assert not any(n.startswith(("tests/", "examples/", "scripts/")) for n in names)


def test_code_and_data_load_from_the_wheel_alone(wheel: Path) -> None:
    # A wheel is a zip Python can import from: nothing here reads the source tree.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import txplan, txplan.clinical.icd as icd; "
        "assert txplan.__file__.startswith(sys.argv[1]), txplan.__file__; "
        "print(icd.lookup('F41.1').title)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(wheel)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )
    assert result.stdout.strip() == "Generalized anxiety disorder", result.stderr
