"""`txplan init`: a plans folder with settings, ignore rules, a pre-commit
hook and a git repository. Safe to run again: it never overwrites a file."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from txplan.config import CONFIG_NAME, Config
from txplan.plan import files

# (file written, template under templates/init)
FILES = (
    (CONFIG_NAME, "txplan.toml.j2"),
    (".gitignore", "gitignore.j2"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml.j2"),
)


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    git: str = ""

    def lines(self, folder: Path) -> list[str]:
        out = [f"created {folder / name}" for name in self.created]
        out += [f"kept {folder / name} (it exists; txplan never overwrites)" for name in self.kept]
        if self.git:
            out.append(self.git)
        return out


def init(folder: Path) -> Report:
    """Set up `folder` (created if missing) as a plans folder."""

    from txplan.outputs.schema import plan_schema_json
    from txplan.resources import environment

    folder.mkdir(parents=True, exist_ok=True)
    env = environment("init", autoescape=False)
    report = Report()
    contents = {name: env.get_template(template).render(c=Config()) for name, template in FILES}
    contents["plan.schema.json"] = plan_schema_json() + "\n"
    for name, text in contents.items():
        try:
            # Settings and ignore rules hold no PHI: readable by the group.
            files.create(folder / name, text, mode=0o644)
            report.created.append(name)
        except files.FileExists:
            report.kept.append(name)
    report.git = _git_init(folder)
    return report


def _git_init(folder: Path) -> str:
    git = shutil.which("git")
    if git is None:
        return "git is not installed: plans are not under version control yet."
    inside = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return ""
    made = subprocess.run(
        [git, "init", "-q", str(folder)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        return f"git init failed: {made.stderr.strip() or made.returncode}"
    return f"initialized a git repository in {folder}"
