"""Finding the plans a command works on, from the paths it was given."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from txplan.plan.files import PLAN_SUFFIX, read_limited

# Folders a plans repository keeps that hold no current plans.
SKIPPED_DIRS = {"archive", "out", "node_modules", "__pycache__"}


_OTHER_YAML = (".yaml", ".yml")
GITIGNORE = ".gitignore"

# A folder and the compiled patterns of the .gitignore in it (a pathspec.GitIgnoreSpec).
Ignore = tuple[str, Any]


class UsageError(Exception):
    """The command cannot run as asked (exit 2); the message is one line."""


def discover(
    paths: Iterable[str],
    passed_over: list[tuple[str, Path]] | None = None,
    skipped: list[str] | None = None,
    respect_gitignore: bool = False,
    ignored_plans: list[str] | None = None,
    suffixes: tuple[str, ...] = (PLAN_SUFFIX,),
    stats: dict[str, os.stat_result] | None = None,
) -> Iterator[tuple[str, Path]]:
    """(name to report, path) for every plan under the given paths.

    A file named on the command line is linted whatever its name; in a
    folder, only `*.plan.yaml` (and what else `suffixes` names: lint adds
    session notes, `*.note.md`) outside hidden, archive and output folders,
    and not hidden files. A file reached twice is given once.
    The other YAML files found in a folder (`*.yaml`, `*.yml`) are added to
    `passed_over` when it is given, for lint to say which of them it skipped.
    A `*.plan.yaml` in a folder that is no regular file (a named pipe, a
    device, a symbolic link that loops or leads nowhere), and a folder that
    cannot be listed, are never opened: each is a line in `skipped`, so a
    plan that was not read is never taken for one that passed.
    In a folder, a file or folder that git ignores is passed over, by the
    .gitignore files from the repository's root down (as ruff does); a file
    or folder named on the command line is read even if ignored.
    Each file's stat, taken on the way, goes to `stats` (by its path as text)
    when it is given.
    """
    notes: list[str] = [] if skipped is None else skipped
    # One file reached twice (`lint . a.plan.yaml`, a link to a plan) is read
    # once. Known by device and inode: one stat, where realpath takes one
    # per folder of the path, for every plan of a caseload.
    seen: set[tuple[int, int] | str] = set()

    def first_time(full: Path, info: os.stat_result | None = None) -> bool:
        try:
            info = info or os.stat(full)
            key: tuple[int, int] | str = (info.st_dev, info.st_ino)
            if stats is not None:
                stats[os.fspath(full)] = info  # by text: a Path hashes at 2 µs
        except OSError:
            key = os.path.realpath(full)
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        path = Path(given)
        if path.is_dir():
            found, other, passed = _walk(
                given, respect_gitignore, notes, suffixes, others=passed_over is not None
            )
            if ignored_plans is not None:  # plans and folders .gitignore kept from the walk
                ignored_plans.extend(os.path.join(given, os.path.relpath(p, path)) for p in passed)
            walked = os.fspath(path)
            # By parts, as Paths compare, but each path's parts taken once.
            for full in sorted(found, key=_parts):
                shown = _shown(given, walked, full)
                info, why = _stat(full)
                if why is not None:
                    notes.append(f"{shown}: skipped, {why}; nothing in it was checked.")
                elif first_time(full, info):
                    yield shown, full
            if passed_over is not None:
                passed_over.extend(
                    (os.path.join(given, os.path.relpath(full, path)), full)
                    for full in sorted(other)
                )
        elif path.exists():
            if first_time(path):
                yield given, path
        elif os.path.islink(path):
            raise UsageError(f"{given}: {not_a_file(path)}.")
        else:
            raise UsageError(f"{given}: no such file or folder.")


def _shown(given: str, walked: str, full: Path) -> str:
    """`full` named from `given`, as the user wrote it: the walk's path with
    its start cut off (relpath costs many times more, for every plan)."""
    text = os.fspath(full)
    if walked == "." and not os.path.isabs(text) and not text.startswith(".." + os.sep):
        return os.path.join(given, text)  # Path("./sub") is "sub"
    if text.startswith(walked + os.sep) and walked != "":
        return os.path.join(given, text[len(walked) + 1 :])
    return os.path.join(given, os.path.relpath(full, walked))


def _walk(
    given: str,
    respect_gitignore: bool,
    notes: list[str],
    suffixes: tuple[str, ...],
    others: bool = True,
) -> tuple[list[Path], list[Path], list[Path]]:
    """The `*.plan.yaml` files and (with `others`) the other YAML files in
    folder `given`, passing over hidden, archive and output folders and,
    inside a git repository, what git ignores; and the plans and folders it
    passed over for git."""
    path = Path(given)
    found: list[Path] = []
    other: list[Path] = []
    passed: list[Path] = []
    # Outside a repository no .gitignore means anything: git is not there.
    respect_gitignore = respect_gitignore and _in_repository(given)
    above = _above(given) if respect_gitignore else []
    if above and ignored(os.path.abspath(given), above, folder=True):
        above = _without_what_ignores(os.path.abspath(given), above)
    ignores = {os.fspath(path): above} if respect_gitignore else {}
    for root, dirs, files in os.walk(path, onerror=_noted(notes)):
        rules: list[Ignore] = []
        if respect_gitignore:
            rules = ignores.pop(root, [])
            if GITIGNORE in files:
                rules = [*rules, *_gitignore_in(root)]
        kept = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        here = _ignored_here(root, rules) if rules else None
        if here is not None:
            passed += [Path(root) / d for d in kept if here(d, True)]
            kept = [d for d in kept if not here(d, True)]
        dirs[:] = sorted(kept)
        for d in dirs:
            ignores[os.path.join(root, d)] = rules
        base = Path(root)  # once per folder: a Path is costly to make
        for name in files:
            if name.startswith("."):
                continue  # editors' lock and backup files (.#C-1042.plan.yaml)
            # Only a file the walk would keep is matched against .gitignore:
            # that match costs more than the rest of the walk.
            wanted = name.endswith(suffixes)
            if not wanted and not (others and name.endswith(_OTHER_YAML)):
                continue
            if here is not None and here(name, False):
                if wanted:
                    passed.append(base / name)
                continue
            (found if wanted else other).append(base / name)
    return found, other, passed


def _without_what_ignores(folder: str, rules: list[Ignore]) -> list[Ignore]:
    """`rules` without the patterns that ignore `folder` itself: a folder named
    on the command line is read, as a named file is, while the other patterns
    (`*.bak.plan.yaml`) still apply inside it."""
    from pathspec import GitIgnoreSpec

    out: list[Ignore] = []
    for base, spec in rules:
        relative = os.path.relpath(folder, base).replace(os.sep, "/") + "/"
        kept = [p for p in spec.patterns if not (p.include and p.match_file(relative))]
        out.append((base, GitIgnoreSpec(kept)))
    return out


def _in_repository(folder: str) -> bool:
    here = os.path.abspath(folder)
    while not os.path.lexists(os.path.join(here, ".git")):
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent
    return True


def ignored(path: str, rules: list[Ignore], folder: bool = False) -> bool:
    """Whether git ignores `path` under `rules` (root first). The deepest
    .gitignore with a pattern that matches decides, and in it the last such
    pattern, negations (`!keep.plan.yaml`) included: git's own order."""
    if rules and os.path.isabs(rules[0][0]) and not os.path.isabs(path):
        path = os.path.abspath(path)  # the rules from above the folder named
    for base, spec in reversed(rules):
        # The walk's paths lie under each base: cut the prefix, as relpath
        # would at many times the cost.
        start = len(base) + (0 if base.endswith(os.sep) else 1)
        inside = (
            len(path) > start and path.startswith(base) and path[len(base) : start] in (os.sep, "")
        )
        relative = (path[start:] if inside else os.path.relpath(path, base)).replace(os.sep, "/")
        decided = spec.check_file(relative + "/" if folder else relative).include
        if decided is not None:
            return bool(decided)
    return False


def _ignored_here(root: str, rules: list[Ignore]) -> Callable[[str, bool], bool]:
    """`ignored` for the entries of folder `root` (a name, and whether it is a
    folder): where `root` lies from each .gitignore is worked out once for
    the folder, not for each of its thousands of plans."""
    if os.path.isabs(rules[0][0]) and not os.path.isabs(root):
        root = os.path.abspath(root)  # the rules from above the folder named
    placed = []
    for base, spec in reversed(rules):
        start = len(base) + (0 if base.endswith(os.sep) else 1)
        if root == base or (base.endswith(os.sep) and root == base[:-1]):
            inside = ""
        elif (
            len(root) > start and root.startswith(base) and root[len(base) : start] in (os.sep, "")
        ):
            inside = root[start:]
        else:
            inside = os.path.relpath(root, base)
        inside = "" if inside == "." else inside.replace(os.sep, "/")
        placed.append((inside + "/" if inside else "", spec, _any_pattern(spec)))

    def here(name: str, folder: bool) -> bool:
        for prefix, spec, any_pattern in placed:
            entry = prefix + name + ("/" if folder else "")
            if any_pattern is not None and any_pattern.search(entry) is None:
                continue  # no pattern of this .gitignore matches: it does not decide
            decided = spec.check_file(entry).include
            if decided is not None:
                return bool(decided)
        return False

    return here


# pathspec names one group in each pattern's regex; joined, the name would repeat.
_PATHSPEC_GROUP = "(?P<ps_d>"


def _any_pattern(spec: Any) -> re.Pattern[str] | None:
    """One regex that matches where any of `spec`'s patterns matches, or None
    when the patterns are not the regexes it expects. A plan matches none
    of a .gitignore's patterns nearly always: one search answers that, where
    asking each pattern costs most of a caseload's walk."""
    sources = []
    for pattern in getattr(spec, "patterns", None) or ():
        if pattern.include is None:
            continue  # a blank line or a comment
        regex = getattr(pattern, "regex", None)
        line = getattr(pattern, "pattern", None)
        if (
            not isinstance(regex, re.Pattern)
            or not isinstance(regex.pattern, str)
            or regex.flags != re.UNICODE  # joined, they would share one set of flags
            # The group's name written in the line itself (`a[(?P<ps_d>]b`) would
            # be renamed too, inside a bracket where it is text.
            or not isinstance(line, str)
            or "(?P" in line
            or regex.pattern.count(_PATHSPEC_GROUP) > 1
        ):
            return None
        sources.append(regex.pattern.replace(_PATHSPEC_GROUP, "(?:"))
    if any("(?P" in source for source in sources):
        return None  # a group we do not know: ask each pattern
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources) or "(?!)")
    except re.error:
        return None


def _gitignore_in(folder: str) -> list[Ignore]:
    """The rules of `folder`'s .gitignore, if it has one txplan can read.
    pathspec is imported here, only when one exists: it costs ~50 ms."""
    try:
        raw = read_limited(Path(folder, GITIGNORE))
    except OSError:
        # One that cannot be read hides nothing: more plans are linted, never fewer.
        return []
    from pathspec import GitIgnoreSpec
    from pathspec.patterns.gitignore import GitIgnorePatternError

    lines = raw.decode("utf-8", "replace").splitlines()
    try:
        return [(folder, GitIgnoreSpec.from_lines(lines))]
    except GitIgnorePatternError:
        # git passes over a line it cannot read (`!` alone) and keeps the rest.
        kept = [line for line in lines if _valid(line)]
        return [(folder, GitIgnoreSpec.from_lines(kept))]


def _valid(line: str) -> bool:
    from pathspec import GitIgnoreSpec
    from pathspec.patterns.gitignore import GitIgnorePatternError

    try:
        GitIgnoreSpec.from_lines([line])
    except GitIgnorePatternError:
        return False
    return True


def _above(top: str) -> list[Ignore]:
    """The .gitignore rules above folder `top`, from the root of the git
    repository holding it down, `top`'s own excluded (the walk reads it).
    Outside a repository none: a .gitignore above is someone else's folder."""
    start = os.path.abspath(top)
    chain: list[str] = []
    folder = start
    while not os.path.lexists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return []
        chain.append(parent)
        folder = parent
    rules: list[Ignore] = []
    for folder in reversed(chain):
        if os.path.lexists(os.path.join(folder, GITIGNORE)):
            rules.extend(_gitignore_in(folder))
    return rules


def _noted(notes: list[str]) -> Callable[[OSError], None]:
    """os.walk's onerror: a folder it cannot list is said, not passed over in silence."""

    def unlisted(exc: OSError) -> None:
        notes.append(f"{exc.filename}: cannot read the folder ({exc.strerror or exc}).")

    return unlisted


def _parts(path: Path) -> tuple[str, ...]:
    """What Paths compare by: their parts, case-folded on Windows."""
    if os.name == "nt":
        return tuple(part.lower() for part in path.parts)
    return path.parts


def not_a_file(path: Path) -> str | None:
    """Why `path` is not a regular file txplan can read without waiting
    (None when it is one). A stat never opens: a pipe cannot make it wait."""
    return _stat(path)[1]


def _stat(path: Path) -> tuple[os.stat_result | None, str | None]:
    """The file's stat, and not_a_file's reason (None for a regular file)."""
    import errno
    import stat

    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "a symbolic link that loops back on itself"
        if exc.errno == errno.ENOENT:
            return None, "a symbolic link to a file that does not exist"
        return None, f"it cannot be read ({exc.strerror or exc})"
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return info, None
    if stat.S_ISFIFO(mode):
        return info, "a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return info, "a device, not a file"
    if stat.S_ISSOCK(mode):
        return info, "a socket, not a file"
    return info, "not a regular file"


def each_plan(
    paths: Iterable[str],
    problems: list[str],
    each: Callable[[list[tuple[str, Path]]], Iterable[tuple[str, Path]]] = iter,
    stats: dict[str, os.stat_result] | None = None,
) -> Iterator[tuple[str, Path]]:
    """Each plan under `paths`, for the caller to read (cannot_read says why
    one could not be) or to find in the cache by its stat (`stats`, as
    discover's). A file in a folder that looks like a plan under another
    name (`C-1042.plan.yml`) is reported in `problems` once the plans are
    done: its review date would otherwise go unseen. `each` walks the plans
    found (the commands pass one that shows a progress bar)."""
    from txplan.plan import sniff

    passed_over: list[tuple[str, Path]] = []
    found = list(discover(paths, passed_over, skipped=problems, stats=stats))
    yield from each(found)
    for name, path in passed_over:
        head = sniff.peek(path)
        if name.endswith(".plan.yml") or sniff.looks_like_plan(head):
            problems.append(f"{name}: not read: {sniff.unread_message(name, head)}")
