"""A plan's history from git, in clinical terms, and what changed since the
last commit (rule X002, and `txplan review`'s changes entry).

git is asked once per repository for all the committed versions a lint run
needs (`git cat-file --batch`), so X002 costs one process, not one per plan.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class NoHistory(Exception):
    """No git history to read; the message says why (one line)."""


def _git(*args: str, cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise NoHistory("git is not installed, so txplan cannot read the plan's history.")
    return subprocess.run([git, *args], cwd=cwd, input=data, capture_output=True, check=False)


def repo_root(folder: Path) -> Path | None:
    """The work tree holding `folder`, found by looking for `.git` (a folder,
    or a file in a worktree) rather than by starting git: lint calls this on
    every run, and starting a process costs more than the walk."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def committed(paths: Iterable[Path], failures: list[str] | None = None) -> dict[Path, bytes]:
    """Each path's content at HEAD, for the paths git tracks (one git call per
    repository). Why git could not be asked, for paths inside a repository,
    goes to `failures`: no answer must not read as "nothing changed"."""
    by_root: dict[Path, list[Path]] = {}
    roots: dict[Path, Path | None] = {}
    for path in paths:
        folder = path.resolve().parent
        if folder not in roots:
            roots[folder] = repo_root(folder)
        root = roots[folder]
        if root is not None:
            by_root.setdefault(root, []).append(path)
    out: dict[Path, bytes] = {}
    for root, members in by_root.items():
        names = [path.resolve().relative_to(root).as_posix() for path in members]
        request = "".join(f"HEAD:{name}\n" for name in names).encode()
        try:
            done = _git("cat-file", "--batch", cwd=root, data=request)
        except NoHistory:
            _failed(failures, "git is not available")
            continue
        except OSError as exc:
            _failed(failures, f"git could not be started ({exc.strerror or exc})")
            continue
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            _failed(failures, f"git failed ({said[0] if said else f'exit {done.returncode}'})")
            continue
        stream, position = done.stdout, 0
        for path in members:
            end = stream.index(b"\n", position)
            header = stream[position:end].split()
            position = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                out[path] = stream[position : position + size]
                position += size + 1
    return out


def _failed(failures: list[str] | None, reason: str) -> None:
    if failures is not None and reason not in failures:
        failures.append(reason)


# --- comparing two versions ------------------------------------------------


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i.get("id")): i for i in items if isinstance(i, dict) and i.get("id") is not None}


def _objectives(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for goal in _by_id(data.get("goals")).values():
        out.update(_by_id(goal.get("objectives")))
    return out


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


CONTENT = ("goals", "objectives", "interventions")


def content_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """How goals, objectives and interventions differ (not statuses or dates)."""
    out: list[str] = []
    kinds = {
        "goal": (_by_id(old.get("goals")), _by_id(new.get("goals"))),
        "objective": (_objectives(old), _objectives(new)),
        "intervention": (_by_id(old.get("interventions")), _by_id(new.get("interventions"))),
    }
    for kind, (before, after) in kinds.items():
        out += [f"{kind} {i} added" for i in after if i not in before]
        out += [f"{kind} {i} removed" for i in before if i not in after]
        for i in after.keys() & before.keys():
            if _text(after[i].get("statement")) != _text(before[i].get("statement")):
                out.append(f"{kind} {i} reworded")
            if kind == "objective" and after[i].get("measure") != before[i].get("measure"):
                out.append(f"objective {i} measure changed")
            if kind == "intervention" and after[i].get("objectives") != before[i].get("objectives"):
                out.append(
                    f"intervention {i} now serves {', '.join(map(str, after[i].get('objectives') or []))}"
                )
    return sorted(out, key=lambda line: (line.split()[0], line))


def _codes(data: dict[str, Any]) -> set[str]:
    return {str(d.get("code")) for d in data.get("diagnoses") or [] if isinstance(d, dict)}


def other_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Statuses, review date, diagnoses, scores and reviews."""
    out = []
    for label, before, after in (
        ("goal", _by_id(old.get("goals")), _by_id(new.get("goals"))),
        ("objective", _objectives(old), _objectives(new)),
    ):
        for i in sorted(after.keys() & before.keys()):
            if before[i].get("status") != after[i].get("status"):
                out.append(
                    f"{label} {i} {before[i].get('status') or 'no status'} → {after[i].get('status')}"
                )
    if old.get("review_by") != new.get("review_by"):
        out.append(f"review date {old.get('review_by')} → {new.get('review_by')}")
    out += [f"diagnosis {c} added" for c in sorted(_codes(new) - _codes(old))]
    out += [f"diagnosis {c} removed" for c in sorted(_codes(old) - _codes(new))]
    for key, noun in (("measures", "score"), ("reviews", "review"), ("changes", "changes entry")):
        added = len(new.get(key) or []) - len(old.get(key) or [])
        if added > 0:
            out.append(
                f"{added} {noun}{'s' if added > 1 and noun != 'changes entry' else ''} recorded"
            )
    return out


def load(raw: bytes) -> dict[str, Any]:
    from txplan.loader import load_bytes

    data = load_bytes(raw).data
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Version:
    commit: str
    date: str
    author: str
    subject: str
    changes: tuple[str, ...]


def versions(plan: Path) -> list[Version]:
    """The plan's committed versions, oldest first, each with what changed."""
    try:
        real = plan.resolve()
    except (OSError, RuntimeError):  # a symbolic link that loops (RuntimeError before 3.13)
        raise NoHistory(
            f"{plan} is a symbolic link that loops back on itself; name the plan file itself."
        ) from None
    folder = real.parent
    root = repo_root(folder)
    if root is None:
        raise NoHistory(
            f"{plan} is not in a git repository, so it has no history; `txplan init` sets one up."
        )
    log = _git(
        "log",
        "--follow",
        "--format=%H%x1f%ad%x1f%an%x1f%s",
        "--date=short",
        "--name-only",
        "--",
        str(real),
        cwd=root,
    )
    if log.returncode != 0:
        raise NoHistory(f"git could not read the history of {plan}.")
    entries = []
    lines = [line for line in log.stdout.decode(errors="replace").splitlines() if line.strip()]
    for head, name in zip(lines[0::2], lines[1::2], strict=False):
        commit, date, author, subject = head.split("\x1f")
        entries.append((commit, date, author, subject, name))
    if not entries:
        raise NoHistory(f"{plan} has no committed versions yet; commit it to start its history.")
    out: list[Version] = []
    previous: dict[str, Any] | None = None
    for commit, date, author, subject, name in reversed(entries):
        shown = _git("show", f"{commit}:{name}", cwd=root)
        data = load(shown.stdout) if shown.returncode == 0 else {}
        if previous is None:
            goals, objectives = len(_by_id(data.get("goals"))), len(_objectives(data))
            changes: list[str] = [
                f"plan written: {goals} goals, {objectives} objectives, "
                f"{len(_by_id(data.get('interventions')))} interventions"
            ]
        else:
            changes = content_changes(previous, data) + other_changes(previous, data)
        out.append(
            Version(commit[:7], date, author, subject, tuple(changes or ["no clinical change"]))
        )
        previous = data
    return out
