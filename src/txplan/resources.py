"""Where the files txplan ships are: its templates (scaffolds, render, init)."""

from __future__ import annotations

from pathlib import Path


def templates_dir() -> Path:
    """Installed: txplan/templates; in a source checkout: the top-level templates/."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / "scaffolds" / "index.toml").is_file():
            return candidate
    raise FileNotFoundError("txplan's templates are missing from this installation")
