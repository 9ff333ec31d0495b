"""Where the files txplan ships are: its templates (scaffolds, render, init)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


def templates_dir() -> Path:
    """Installed: txplan/templates; in a source checkout: the top-level templates/."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if (candidate / "scaffolds" / "index.toml").is_file():
            return candidate
    raise FileNotFoundError("txplan's templates are missing from this installation")


def environment(folder: str, *, autoescape: bool, **options: Any) -> Environment:
    """A Jinja environment over templates/`folder`: a name the template does
    not know is an error (StrictUndefined), never an empty string, and the
    file's last newline is kept. `autoescape` for HTML; `options` as Jinja's."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(templates_dir() / folder),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=autoescape,
        **options,
    )
