"""The plan in force on a day: which version of a client's plan governed a
session, read from the plans folder's git history.

A version is in force from the day it was written: the day of its commit
(the author's date), or the newest date the plan itself records (`written`,
a `changes` or `reviews` entry, the clinician's signature) when that is
earlier, because a plan is often committed days after it was made. The
working copy, when it differs from the last commit, is a version too, dated
by what it records (or today). A session dated before every version known
is judged by the oldest one: the history does not reach back, and that is
the nearest account of the plan there is.

git is asked once per repository for every plan's commits (`git log`) and
once for the contents it needs (`git cat-file --batch`): never a process per
note or per plan.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from txplan.plan.history import NoHistory, _blobs, _git, _resolved, repo_root

WORKING_COPY = "the working copy"


@dataclass
class PlanVersion:
    """One version of a plan: where it comes from and the day it took effect."""

    label: str  # "commit 1a2b3c4" or "the working copy"
    committed: dt.date | None  # the working copy: the date it records, or today
    raw: bytes | None = None  # filled in once read
    spec: bytes = b""  # `<commit>:<path>` for git cat-file
    # The working copy: in effect by this day (today) whatever it records.
    ceiling: dt.date | None = None
    _recorded: tuple[dt.date | None] | None = None
    _loaded: Any = None

    def loaded(self) -> Any:
        """The version read (a txplan.plan.loader.Loaded), once: its recorded
        date and its plan model both come from this one reading."""
        if self._loaded is None:
            from txplan.plan.loader import load_bytes

            self._loaded = load_bytes(self.raw or b"")
            data = self._loaded.data
            self._recorded = (recorded_date(data if isinstance(data, dict) else {}),)
        return self._loaded

    def release(self) -> None:
        """Forget the reading (its positions and lines) once its model is
        built: a caseload's versions held at once ran to a gigabyte."""
        self._loaded = None
        self.raw = None

    def effective_by(self, day: dt.date) -> bool:
        """Whether this version had taken effect by `day`. The commit's date
        settles it without reading the plan when that is early enough."""
        if self.committed is not None and self.committed <= day:
            return True
        if self.ceiling is not None and self.ceiling <= day:
            return True
        if self._recorded is None:
            self.loaded()
        assert self._recorded is not None
        recorded = self._recorded[0]
        return recorded is not None and recorded <= day


@dataclass
class Timeline:
    """A plan file's versions, oldest first."""

    file: str
    path: Path
    versions: list[PlanVersion] = field(default_factory=list)

    def in_force(self, day: dt.date) -> PlanVersion | None:
        """The newest version in effect on `day`, else the oldest one."""
        if len(self.versions) == 1:
            return self.versions[0]  # the only account of the plan there is
        for version in reversed(self.versions):
            if version.effective_by(day):
                return version
        return self.versions[0] if self.versions else None


_DATES = ("written",)
_DATED_LISTS = ("changes", "reviews")


def recorded_date(data: dict[str, Any]) -> dt.date | None:
    """The newest date the plan records of its own making and revising."""
    found: list[dt.date] = []
    for key in _DATES:
        value = data.get(key)
        if isinstance(value, dt.date):
            found.append(value)
    for key in _DATED_LISTS:
        items = data.get(key)
        if isinstance(items, list):
            found += [
                item["date"]
                for item in items
                if isinstance(item, dict) and isinstance(item.get("date"), dt.date)
            ]
    signatures = data.get("signatures")
    clinician = signatures.get("clinician") if isinstance(signatures, dict) else None
    if isinstance(clinician, dict) and isinstance(clinician.get("date"), dt.date):
        found.append(clinician["date"])
    found = [d if not isinstance(d, dt.datetime) else d.date() for d in found]
    return max(found) if found else None


def timelines(
    plans: Iterable[tuple[str, Path]], today: dt.date, failures: list[str] | None = None
) -> dict[Path, Timeline]:
    """Each plan's timeline, its versions read and dated. Where git cannot
    be asked, the working copy alone (and why, in `failures`)."""
    out: dict[Path, Timeline] = {}
    by_root: dict[Path, list[tuple[Timeline, bytes]]] = {}
    folders: dict[str, str] = {}
    for name, path in plans:
        timeline = Timeline(name, path)
        out[path] = timeline
        try:
            resolved = _resolved(path, folders)
        except (OSError, RuntimeError):
            continue
        root = repo_root(resolved.parent)
        if root is not None:
            relative = os.fsencode(resolved.relative_to(root).as_posix())
            by_root.setdefault(root, []).append((timeline, relative))
    for root, members in by_root.items():
        try:
            _committed_versions(root, members)
        except NoHistory as exc:
            if failures is not None and str(exc) not in failures:
                failures.append(str(exc))
        except OSError as exc:
            if failures is not None:
                failures.append(f"git could not be started ({exc.strerror or exc})")
    for timeline in out.values():
        _add_working_copy(timeline, today)
    return out


_HEADER = re.compile(rb"\n?\x1e([0-9a-f]{40,64})\x1f([0-9]{4}-[0-9]{2}-[0-9]{2})")
_STATUS = re.compile(rb"\n?[A-Z][0-9]*")


def _committed_versions(root: Path, members: list[tuple[Timeline, bytes]]) -> None:
    wanted = {relative: timeline for timeline, relative in members}
    folders = sorted({os.path.dirname(os.fsdecode(r)) or "." for r in wanted})
    log = _git(
        "--literal-pathspecs",
        "log",
        "-m",
        "-z",
        "--name-status",
        "--date=short",
        "--format=%x1e%H%x1f%ad",
        "--",
        *folders,
        cwd=root,
    )
    if log.returncode != 0:
        said = log.stderr.decode("utf-8", "replace").strip().splitlines()
        if said and "does not have any commits" in said[0]:
            return
        raise NoHistory(f"git could not read the history ({said[0] if said else 'no reason'})")
    newest_first: dict[bytes, list[PlanVersion]] = {}
    seen: set[tuple[bytes, str]] = set()
    current: dict[bytes, bytes] = {name: name for name in wanted}  # old name -> plan
    commit, date = "", None
    tokens = log.stdout.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        head = _HEADER.match(token)
        if head:
            commit = head.group(1).decode()
            date = _date(head.group(2).decode())
            continue
        if not commit or not _STATUS.fullmatch(token):
            continue
        status = token.lstrip(b"\n")
        count = 2 if status[:1] in (b"R", b"C") else 1
        paths = tokens[i : i + count]
        i += count
        if not paths:
            continue
        name = paths[-1]
        plan = current.get(name)
        if plan is None or status[:1] == b"D" or (plan, commit) in seen:
            continue
        seen.add((plan, commit))
        newest_first.setdefault(plan, []).append(
            PlanVersion(f"commit {commit[:7]}", date, spec=commit.encode() + b":" + name)
        )
        if status[:1] == b"R":
            current[paths[0]] = plan  # older commits name it by its old name
    specs: list[bytes] = []
    for versions in newest_first.values():
        specs += [v.spec for v in versions]
    contents = dict(zip(specs, _blobs(root, specs), strict=True))
    for plan, versions in newest_first.items():
        for version in versions:
            version.raw = contents.get(version.spec)
        wanted[plan].versions = [v for v in reversed(versions) if v.raw is not None]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _add_working_copy(timeline: Timeline, today: dt.date) -> None:
    from txplan.plan.files import read_limited

    try:
        raw = read_limited(timeline.path)
    except OSError:
        return
    if timeline.versions and timeline.versions[-1].raw == raw:
        return
    # Named only beside committed versions: outside git it is simply the plan.
    # In effect from the date it records (read only when a note asks), and by today.
    label = WORKING_COPY if timeline.versions else ""
    timeline.versions.append(PlanVersion(label, None, raw, ceiling=today))
