"""A plan's history from git, in clinical terms, and what changed since the
last commit (rule X002, and `txplan review`'s changes entry).

git is asked twice per repository for all the committed versions a lint run
needs (`git ls-tree` for which plans HEAD holds, `git cat-file --batch` for
their content), so X002 costs two processes, not one per plan.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar


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
    return contents(committed_ids(paths, failures), failures)


# A plan's last committed version: its repository's root and its blob id.
Head = tuple[Path, bytes]


def committed_ids(paths: Iterable[Path], failures: list[str] | None = None) -> dict[Path, Head]:
    """Each path's blob id at HEAD, for the paths git tracks, from one `git
    ls-tree` per repository: what a version is, without reading it (the lint
    cache keys on it, and reads a version only for a plan it checks again).
    Why git could not be asked goes to `failures`, as for `committed`."""
    # Folders and names as text: for a caseload of thousands, the Paths a
    # plan's place in its repository took to work out cost more than git did.
    by_root: dict[Path, list[tuple[Path, bytes]]] = {}
    roots: dict[str, Path | None] = {}
    folders: dict[str, str] = {}
    for path in paths:
        folder, name = os.path.split(_resolved_text(path, folders))
        if folder not in roots:
            roots[folder] = repo_root(Path(folder))
        root = roots[folder]
        if root is not None:
            inside = _inside(folder, os.fspath(root))
            relative = f"{inside}/{name}" if inside else name
            by_root.setdefault(root, []).append((path, os.fsencode(relative)))
    out: dict[Path, Head] = {}
    for root, pairs in by_root.items():
        tracked = _answer(failures, _head_blob_ids, root, [listed for _, listed in pairs])
        if tracked is None:
            continue
        for path, listed in pairs:
            blob_id = tracked[listed]
            if blob_id is not None:
                out[path] = (root, blob_id)
    return out


def contents(heads: dict[Path, Head], failures: list[str] | None = None) -> dict[Path, bytes]:
    """The content of each version in `heads` (committed_ids'), from one `git
    cat-file --batch` per repository."""
    by_root: dict[Path, list[tuple[Path, bytes]]] = {}
    for path, (root, blob_id) in heads.items():
        by_root.setdefault(root, []).append((path, blob_id))
    out: dict[Path, bytes] = {}
    for root, wanted in by_root.items():
        blobs = _answer(failures, _blobs, root, [blob_id for _, blob_id in wanted])
        if blobs is None:
            continue
        for (path, _), blob in zip(wanted, blobs, strict=True):
            if blob is not None:
                out[path] = blob
    return out


def _inside(folder: str, root: str) -> str:
    """`folder` from `root` (a folder holding it) in git's spelling, with `/`."""
    if folder == root:
        return ""
    prefix = root if root.endswith(os.sep) else root + os.sep
    inside = folder[len(prefix) :] if folder.startswith(prefix) else os.path.relpath(folder, root)
    return inside.replace(os.sep, "/")


def _head_blob_ids(root: Path, names: list[bytes]) -> dict[bytes, bytes | None]:
    """The blob id of each of `names` at HEAD (None where HEAD has no such
    file), from one `git ls-tree` of their folders: asking for the content
    of files git does not track (a caseload outside git's care) cost as much
    as reading the content of those it does."""
    folders = sorted({os.path.dirname(name) or b"." for name in names})
    listed = _batch_git(
        "--literal-pathspecs",
        "ls-tree",
        "-r",
        "-z",
        "HEAD",
        "--",
        *(os.fsdecode(folder) for folder in folders),
        cwd=root,
    )
    if listed.returncode != 0:
        said = listed.stderr.decode("utf-8", "replace").strip().splitlines()
        if said and "Not a valid object name" in said[0]:
            return dict.fromkeys(names)  # no commit yet: nothing is committed
        raise _GitFailed(f"git failed ({said[0] if said else f'exit {listed.returncode}'})")
    ids: dict[bytes, bytes] = {}
    for entry in listed.stdout.split(b"\0"):
        info, tab, path = entry.partition(b"\t")
        parts = info.split(b" ")
        if tab and len(parts) == 3 and parts[1] == b"blob":
            ids[path] = parts[2]
    return {name: ids.get(name) for name in names}


def _resolved(path: Path, folders: dict[str, str]) -> Path:
    """`path.resolve()`, resolving each folder once (`folders`, by name): a
    caseload's thousands of plans share a few folders, and resolving walks
    every folder of a path."""
    return Path(_resolved_text(path, folders))


def _resolved_text(path: Path, folders: dict[str, str]) -> str:
    """_resolved as text: for thousands of plans, each Path made on the way
    cost more than the answer."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    if name in ("", ".", "..") or os.path.islink(text):
        return os.fspath(path.resolve())
    if folder not in folders:
        folders[folder] = os.fspath(Path(folder).resolve())
    return os.path.join(folders[folder], name)


def _batch_git(
    *args: str, cwd: Path, data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """git asked on behalf of a whole lint run: without git, the reason reads
    "X002 ... was not checked: git is not available"."""
    try:
        return _git(*args, cwd=cwd, data=data)
    except NoHistory:
        raise NoHistory("git is not available") from None


class _GitFailed(NoHistory):
    """git ran and failed; the message is its first line of complaint."""


def _blobs(root: Path, specs: list[bytes]) -> list[bytes | None]:
    """The content of each `<rev>:<path>` in `specs` (None where git has no
    such file), from one `git cat-file --batch`. File names are bytes as git
    stores them: a name with a line break is sent NUL-terminated (`-z`), so
    it cannot split into two requests and shift every answer after it."""
    if not specs:
        return []
    nul = any(b"\n" in spec for spec in specs)
    end = b"\0" if nul else b"\n"
    done = _batch_git(
        "cat-file",
        "--batch",
        *(["-z"] if nul else []),
        cwd=root,
        data=b"".join(s + end for s in specs),
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(f"git failed ({said[0] if said else f'exit {done.returncode}'})")
    stream, position = done.stdout, 0
    out: list[bytes | None] = []
    for spec in specs:
        # git echoes a request it cannot answer, line break and all: match
        # it whole rather than reading up to the first line break.
        unanswered = next(
            (
                spec + word
                for word in (b" missing\n", b" ambiguous\n")
                if stream.startswith(spec + word, position)
            ),
            None,
        )
        if unanswered is not None:
            position += len(unanswered)
            out.append(None)
            continue
        line_end = stream.find(b"\n", position)
        header = stream[position:line_end].split(b" ") if line_end >= 0 else []
        if len(header) != 3 or not header[2].isdigit():
            raise _GitFailed("git failed (an answer txplan could not read)")
        size = int(header[2])
        body = stream[line_end + 1 : line_end + 1 + size]
        position = line_end + 1 + size + 1
        out.append(body if header[1] == b"blob" else None)
    return out


Answer = TypeVar("Answer")


def _answer(
    failures: list[str] | None,
    ask: Callable[[Path, list[bytes]], Answer],
    root: Path,
    of: list[bytes],
) -> Answer | None:
    """What git, asked by `ask` in repository `root`, answers; None, and why
    in `failures`, when it cannot be asked."""
    try:
        return ask(root, of)
    except NoHistory as exc:
        _failed(failures, str(exc))
    except OSError as exc:
        _failed(failures, f"git could not be started ({exc.strerror or exc})")
    return None


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
    from txplan.plan.loader import load_bytes

    data = load_bytes(raw).data
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Version:
    commit: str
    date: str
    author: str
    subject: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    """One commit of `git log --follow` for the plan, as git wrote it."""

    commit: str
    date: str
    grafted: bool  # a shallow clone's oldest commit: what came before is not here
    author: str
    subject: str
    status: bytes  # A, M, R100, C075, D...
    paths: tuple[bytes, ...]  # the file's name (for R and C: the old name, then the new)

    @property
    def name(self) -> bytes:
        return self.paths[-1]


_STATUS = re.compile(rb"\n?[A-Z][0-9]*")
_HEAD = re.compile(rb"\n?([0-9a-f]{40,64})\x1f")
# Commit, parents, date, decorations (only `grafted`: every ref is filtered
# out), author, subject.
_FORMAT = "%H%x1f%P%x1f%ad%x1f%D%x1f%an%x1f%s"


def _log(root: Path, name: bytes) -> list[_Entry]:
    """The commits that touched the file, newest first, read NUL-separated
    (`-z`): a name with a line break or a right-to-left character comes back
    as written, not quoted or split, and never as a pattern (literal pathspecs)."""
    log = _git(
        "--literal-pathspecs",
        "log",
        "--follow",
        # A merge that changed the plan (a resolved conflict) is a version too:
        # -m shows its change against each parent; the first is kept below.
        "-m",
        "-z",
        "--name-status",
        "--date=short",
        "--decorate-refs=refs/txplan-none/",
        f"--format={_FORMAT}",
        "--",
        os.fsdecode(name),
        cwd=root,
    )
    if log.returncode != 0:
        raise _GitFailed("git could not read the history")
    tokens = log.stdout.split(b"\0")
    entries: list[_Entry] = []
    seen: set[str] = set()
    current = name  # the file's name as of the entry being read (renames go back)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not _HEAD.match(token):
            continue
        fields = token.lstrip(b"\n").decode("utf-8", "replace").split("\x1f", 5)
        commit, parents, date, decorations, author, subject = (fields + [""] * 6)[:6]
        status: bytes = b""
        paths: tuple[bytes, ...] = ()
        if i < len(tokens) and _STATUS.fullmatch(tokens[i]):
            status = tokens[i].lstrip(b"\n")
            count = 2 if status[:1] in (b"R", b"C") else 1
            paths = tuple(tokens[i + 1 : i + 1 + count])
            i += 1 + count
        if commit in seen:
            continue  # a merge's change against its second parent
        if len(parents.split()) > 1 and status[:1] not in (b"M", b""):
            # Against this parent the merge adds or renames the file: it brings
            # in the other branch's version, whose own commits are listed.
            continue
        seen.add(commit)
        if not paths:
            status, paths = b"M", (current,)
        elif status[:1] in (b"R", b"C"):
            current = paths[0]
        grafted = "grafted" in (d.strip() for d in decorations.split(","))
        entries.append(_Entry(commit, date, grafted, author, subject, status, paths))
    return entries


def _client_id(data: dict[str, Any]) -> str | None:
    client = data.get("client")
    value = client.get("id") if isinstance(client, dict) else None
    return None if value is None else str(value)


def _summary(data: dict[str, Any]) -> str:
    return (
        f"{len(_by_id(data.get('goals')))} goals, {len(_objectives(data))} objectives, "
        f"{len(_by_id(data.get('interventions')))} interventions"
    )


def _own_history(entries: list[_Entry], contents: list[dict[str, Any]]) -> tuple[int, str | None]:
    """How many of the newest entries are this plan's own history, and what
    to say about where it starts (None: where the plan was written).

    `git log --follow` also follows copies, and "renames" from another
    client's file: a plan started from C-3102's file would list C-3102's
    commits as its own. Only a rename (the old name gone in that commit) of
    a file holding the same client ID is followed."""
    for i, entry in enumerate(entries):
        kind = entry.status[:1]
        if kind == b"D":
            return i, None  # the file on disk was never committed since
        if entry.grafted:
            return i + 1, (
                "history cut off here: this clone is shallow and holds no commit before "
                "this one (`git fetch --unshallow` fetches the rest); this version has "
                + _summary(contents[i])
            )
        if kind in (b"A", b"C"):
            # C: started from another file's text (a copy, or the same
            # template); that file's commits are its history, not this plan's.
            return i + 1, None
        if kind == b"R":
            mine = _client_id(contents[i])
            before = contents[i + 1] if i + 1 < len(entries) else {}
            theirs = _client_id(before)
            if mine is None or theirs != mine:
                from txplan.plan.identity import shown

                old = shown(os.fsdecode(entry.paths[0]), 200)
                held = f"the plan of client {shown(theirs)}" if theirs else "no client ID"
                return i + 1, (
                    f"plan written: {_summary(contents[i])} (in place of `{old}`, "
                    f"{held}, removed in the same commit; that plan's history is its own)"
                )
    return len(entries), None


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
    name = os.fsencode(real.relative_to(root).as_posix())
    try:
        entries = _log(root, name)
        blobs = _blobs(root, [e.commit.encode() + b":" + e.name for e in entries])
    except _GitFailed:
        raise NoHistory(f"git could not read the history of {plan}.") from None
    except OSError as exc:
        raise NoHistory(f"git could not be started ({exc.strerror or exc}).") from None
    contents = [load(blob or b"") for blob in blobs]
    kept, start = _own_history(entries, contents)
    entries, contents = entries[:kept], contents[:kept]
    if not entries:
        raise NoHistory(f"{plan} has no committed versions yet; commit it to start its history.")
    out: list[Version] = []
    previous: dict[str, Any] | None = None
    for entry, data in zip(reversed(entries), reversed(contents), strict=True):
        if previous is None:
            changes = [start or f"plan written: {_summary(data)}"]
        else:
            changes = content_changes(previous, data) + other_changes(previous, data)
            if entry.status[:1] == b"R":
                from txplan.plan.identity import shown

                changes.insert(0, f"file renamed from {shown(os.fsdecode(entry.paths[0]), 200)}")
        out.append(
            Version(
                entry.commit[:7],
                entry.date,
                entry.author,
                entry.subject,
                tuple(changes or ["no clinical change"]),
            )
        )
        previous = data
    return out
