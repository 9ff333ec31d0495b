"""The documentation cannot drift from the program.

docs/plan-format.md, docs/rules.md and docs/cli.md are generated from the
code (scripts/generate_docs.py) and must match it; every console example in
README.md and docs/ is run and its output compared; and no tracked file
points outside the repository.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _generator():  # type: ignore[no-untyped-def]
    return load_script("scripts/generate_docs.py")


@pytest.mark.parametrize("name", ["plan-format.md", "rules.md", "cli.md"])
def test_generated_page_is_current(name: str) -> None:
    generator = _generator()
    current = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert current == generator.PAGES[name](), (
        f"docs/{name} is stale: run python scripts/generate_docs.py"
    )


def test_the_rules_page_has_every_rule_with_why_and_examples() -> None:
    from txplan.rules import REGISTRY

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code, entry in REGISTRY.items():
        assert f"### {code} {entry.name}" in page
    assert page.count("**Why it matters.**") == len(REGISTRY)


def test_the_cli_page_has_every_command_and_option() -> None:
    import typer

    from txplan.cli import COMMANDS, build

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(build())
    for name in COMMANDS:
        assert f"## txplan {name}" in page
        for param in group.commands[name].params:  # type: ignore[attr-defined]
            for opt in param.opts:
                if opt.startswith("-"):
                    assert f"`{opt}`" in page, (name, opt)


# --- console examples ----------------------------------------------------------

GENERATOR = _generator()
CONSOLE_PAGES = [page for page in PAGES if GENERATOR.console_examples(page)]


def _matches(expected: str, actual: str) -> bool:
    """`...` ending a line stands for the rest of it."""
    if expected.endswith("..."):
        return actual.startswith(expected[:-3])
    return actual == expected


def _agrees(expected: list[str], actual: list[str]) -> str | None:
    """None when the output agrees: the lines in order, a line `...` standing
    for any lines; else the first expected line not found."""
    position = 0
    skipping = False
    for want in expected:
        if want == "...":
            skipping = True
            continue
        while position < len(actual) and not _matches(want, actual[position]):
            if not skipping:
                return want
            position += 1
        if position == len(actual):
            return want
        position += 1
        skipping = False
    if not skipping and position != len(actual):
        return f"(more output than shown: {actual[position]!r})"
    return None


def test_there_are_console_examples_in_readme_and_docs() -> None:
    names = {page.name for page in CONSOLE_PAGES}
    assert {"README.md", "cli.md", "guide.md"} <= names
    assert sum(len(GENERATOR.console_examples(page)) for page in CONSOLE_PAGES) >= 15


def test_the_matching_rules_catch_drift() -> None:
    assert _agrees(["a", "..."], ["a", "b", "c"]) is None
    assert _agrees(["a", "c..."], ["a", "cat"]) is None
    assert _agrees(["a", "b"], ["a", "c"]) == "b"
    assert _agrees(["a"], ["a", "b"]) is not None
    assert _agrees(["a", "...", "z"], ["a", "b"]) == "z"


@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=[p.name for p in CONSOLE_PAGES])
def test_console_examples_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    folder = GENERATOR.scratch_folder(tmp_path)
    for example in GENERATOR.console_examples(page):
        actual = GENERATOR.run_in(folder, example.command)
        wrong = _agrees(example.expected, actual)
        assert wrong is None, (
            f"{example.page}:{example.line}: `{example.command}` no longer prints {wrong!r}; "
            "it prints:\n"
            + "\n".join(actual)
            + "\n(python scripts/generate_docs.py --console shows what it prints now)"
        )


def test_one_console_example_through_a_real_process() -> None:
    example = GENERATOR.console_examples(ROOT / "README.md")[0]
    words = shlex.split(example.command)
    result = subprocess.run(
        [sys.executable, "-m", "txplan", *words[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    actual = (result.stdout + result.stderr).rstrip("\n").splitlines()
    assert _agrees(example.expected, actual) is None, actual


# --- nothing points outside the repository ----------------------------------------


def _tracked() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def _leaves_the_repository(path: Path, reference: str) -> bool:
    return not (path.parent / reference).resolve().is_relative_to(ROOT)


def test_no_tracked_file_refers_outside_the_repository() -> None:
    # A path climbing out of the clone (`../x/...`), or an absolute path of
    # some machine, names what a clone does not have.
    climbing = re.compile(r"(?<![\w.])((?:\.\./)+[\w.-]+(?:/[\w.-]+)*)")
    machine = re.compile(r"(?<![\w.])/(?:work|home|root|Users)/\w")
    # the workbench the design started in (its reading was numbered seeds/001...)
    workbench = re.compile(r"\bsha[r]ed/|\bseeds/\d")
    here = Path(__file__).resolve()
    for path in _tracked():
        if path == here or path.suffix in {".gz", ".png", ".pdf"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            assert not machine.search(line), where
            assert not workbench.search(line), where
            for reference in climbing.findall(line):
                assert not _leaves_the_repository(path, reference), where


def test_every_relative_link_in_the_docs_leads_to_a_file() -> None:
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    for page in PAGES:
        for target in link.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"
