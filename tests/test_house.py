"""House rules for the code itself (issue 13): short functions and classes, small folders.

A function or class longer than about a screen hides its concerns; a folder of
more than a dozen modules hides its structure. These tests name what breaks
either rule, so it is split when it grows rather than in a later clean-up.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "txplan"
MAX_LINES = 80  # a function or class, counted from its `def`/`class` line to its last
MAX_FILES = 13  # .py files in one folder: a dozen modules and __init__.py


def _declarations(node: ast.ClassDef) -> bool:
    # A class of field declarations only (a pydantic model of the format, an
    # enum) reads as a table, however long: the limit is for logic.
    return not any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in node.body)


def too_long(source: str, name: str, limit: int = MAX_LINES) -> list[str]:
    """Each function, or class with methods, in `source` longer than `limit`
    lines, with its place."""
    out = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.ClassDef) and _declarations(node):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            if lines > limit:
                out.append(f"{name}:{node.lineno}: {node.name} is {lines} lines")
    return out


def crowded(package: Path, limit: int = MAX_FILES) -> list[str]:
    """Each folder under `package` holding more than `limit` .py files."""
    folders = [package, *(p for p in sorted(package.rglob("*")) if p.is_dir())]
    out = []
    for folder in folders:
        count = len(list(folder.glob("*.py")))
        if count > limit:
            out.append(f"{folder.relative_to(package.parent)} holds {count} .py files")
    return out


def test_no_function_or_class_is_longer_than_80_lines() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules, "no modules found under src/txplan"
    long = [
        problem
        for module in modules
        for problem in too_long(module.read_text(encoding="utf-8"), str(module.relative_to(ROOT)))
    ]
    assert not long, "Split these by concern:\n" + "\n".join(long)


def test_no_folder_holds_more_than_13_modules() -> None:
    problems = crowded(PACKAGE)
    assert not problems, "Give these folders sub-packages:\n" + "\n".join(problems)


def test_too_long_names_a_long_function_and_a_long_class_and_passes_short_ones() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES))
    source = (
        f"def long_one():\n{body}\n"
        f"class LongOne:\n{body}    def method(self):\n        pass\n\n"
        f"class LongFields:\n{body}\n"
        "def short_one():\n    return 1\n"
        "class ShortOne:\n    pass\n"
    )
    found = too_long(source, "m.py")
    assert found == [
        f"m.py:1: long_one is {MAX_LINES + 1} lines",
        f"m.py:{MAX_LINES + 3}: LongOne is {MAX_LINES + 3} lines",
    ]
    assert too_long("def f():\n" + "".join(f"    x{i} = {i}\n" for i in range(79)), "m.py") == []


def test_crowded_names_a_folder_over_the_limit_and_passes_one_at_it(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    full, over = package / "full", package / "over"
    for folder, count in ((full, MAX_FILES), (over, MAX_FILES + 1)):
        folder.mkdir(parents=True)
        for i in range(count):
            (folder / f"m{i}.py").write_text("", encoding="utf-8")
    (over / "notes.txt").write_text("", encoding="utf-8")  # not a module: not counted
    assert crowded(package) == [f"pkg/over holds {MAX_FILES + 1} .py files"]
