"""Remembered lint results, so an unchanged plan is not checked twice.

One file per plans folder, `.txplan_cache/lint.json`, beside the txplan.toml
that governs the plans (or in the plan's own folder when none does). Each
entry is one plan's findings and what the caseload rules need from it,
filed under a key that hashes everything those findings depend on:

- the plan's bytes and the name it is reported under (F007 reads the name);
- txplan itself: its version and the size and time of every file it ships
  (rules, templates, the ICD-10-CM index), so an upgrade or an edited rule
  is never answered from an old result;
- the settings in effect for the plan, and --select / --ignore;
- the date it is checked as of (the review and date rules);
- the plan as last committed, for X002.

The cross-file rules (X001, X003) run on every lint, from the remembered
summaries of the plans that did not change.

A plan's bytes are known by their hash. Reading and hashing every plan of a
caseload is most of a warm run, so the file also remembers, for each plan
file, its stat (device, inode, size, modification and change times) beside
that hash, as git's index and mypy's cache do: while the stat is as it was,
the hash is taken as read. Any write changes the change time, which tools
that restore a modification time (`touch -r`, sync tools) leave alone. A stat is remembered only for a file last changed well before
the run began (SETTLED_NS), so a write in the same tick of a coarse clock
cannot leave the stat as it was. What this trusts, as git does: that the
filesystem's clock and this machine's agree within those seconds, and that
a network share's cached stat is fresh. On Windows, whose st_ctime is the
file's creation, no stat is remembered or trusted.

The cache is a convenience, never a source of truth: a cache file that does
not read as one txplan wrote, for this txplan, is ignored and rewritten; an
entry that does not hold together is checked again. Writes are atomic, so
two runs at once cost at most each other's additions. The findings quote the
plan, so the cache is health information: the folder is the owner's only
(0700), the file 0600, and the folder holds a `.gitignore` of `*` so it is
never committed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from txplan.findings import Finding, Severity, Span

if TYPE_CHECKING:
    from txplan.config import Config
    from txplan.records import PlanRecord

# What one plan's lint leaves: the name it was reported under, its findings,
# and its summary for the caseload rules (None when it is no plan).
Result = tuple[str, list[Finding], "PlanRecord | None"]
T = TypeVar("T")

FOLDER_NAME = ".txplan_cache"
GITIGNORE = "# made by txplan: the lint cache is never committed\n*\n"
FILE_NAME = "lint.json"
# 2: an objective's text kept by its fingerprint; 3: keys hash the bytes' hash, stats
# kept; 4: entries as flat lists
FORMAT = 4
# Above this a cache file is not ours (10,000 plans take about 20 MB).
MAX_BYTES = 512 * 1024 * 1024
# Entries kept for plans this run did not see (another folder's, an older
# --today), beside the ones it used.
KEEP_UNUSED = 20_000
# A file's stat vouches for its bytes only if it was last changed this long
# before the run began: longer than the coarsest file times (FAT's 2 s).
SETTLED_NS = 3_000_000_000
# Windows reports a file's creation time as st_ctime, which a write leaves as
# it was: there a stat does not tell every change, and each plan is read.
STATS_TELL_CHANGES = os.name != "nt"
# What content_hash gives; anything else in a stats entry is not ours.
_HASH = re.compile(r"[0-9a-f]{64}")


def folder_for(config: Config, plan: Path) -> Path:
    """Where the cache of a plan governed by `config` lives."""
    base = config.path.parent if config.path is not None else plan.parent
    return base / FOLDER_NAME


@functools.cache
def fingerprint() -> str:
    """txplan as installed: its version and every file it ships."""
    import txplan

    digest = hashlib.sha256(f"{txplan.__version__} {sys.version_info[:2]}".encode())
    package = Path(txplan.__file__).parent
    for root, folders, files in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            relative = os.path.relpath(os.path.join(root, name), package)
            digest.update(f"{relative} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def key(
    name: str,
    content: str,
    config: Config,
    today: dt.date,
    selection: object,
    committed: bytes | None,
) -> str:
    """The key for one plan's result: a hash of everything it depends on.
    `content` is the hash of the plan's bytes (content_hash)."""
    digest = _common(config, today, selection).copy()
    for part in (name, "-" if committed is None else hashlib.sha256(committed).hexdigest()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(content.encode("ascii"))
    return digest.hexdigest()


def gleaned_key(entry_key: str, extra: str) -> str:
    """The key of what a Gleaner took from a plan: its result's key, and
    what else the gleaned value depends on."""
    digest = hashlib.sha256(f"gleaned\0{entry_key}\0".encode())
    digest.update(extra.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def content_hash(raw: bytes) -> str:
    """What the cache knows a file's bytes by."""
    return hashlib.sha256(raw).hexdigest()


# The hash of what the keys of a run's plans share (txplan, the settings, the
# date, the selection), copied for each plan rather than hashed again.
_COMMON: dict[tuple[str, dt.date, str], hashlib._Hash] = {}


def _common(config: Config, today: dt.date, selection: object) -> hashlib._Hash:
    known = (_settings_text(config), today, repr(selection))
    digest = _COMMON.get(known)
    if digest is None:
        if len(_COMMON) > 1000:
            _COMMON.clear()
        digest = _COMMON[known] = hashlib.sha256()
        for part in (f"{FORMAT} {fingerprint()}", known[0], today.isoformat(), known[2]):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest


# Each Config's repr, by identity (the Config is kept, so its id stays its
# own): a caseload's plans share a few, and a repr of one costs 20 µs.
_SETTINGS: dict[int, tuple[Config, str]] = {}


def _settings_text(config: Config) -> str:
    known = _SETTINGS.get(id(config))
    if known is None or known[0] is not config:
        if len(_SETTINGS) > 1000:
            _SETTINGS.clear()
        known = _SETTINGS[id(config)] = (config, repr(config))
    return known[1]


class EntryCache:
    """The entries of one cache file, as JSON values: `entry` and `keep` by
    key, then `save`. What an entry means is its reader's business. Files'
    hashes are remembered beside them (`content_hash_of`) for runs that
    began at `started` (nanoseconds since the epoch) or later."""

    def __init__(
        self, folder: Path, file_name: str = FILE_NAME, started: int | None = None
    ) -> None:
        self.folder = folder
        self.file_name = file_name
        self._stored, self._stats = _read(folder / file_name)
        self._used: dict[str, Any] = {}
        self._stats_used: dict[str, list[Any]] = {}
        self._settled_before = (time.time_ns() if started is None else started) - SETTLED_NS

    def entry(self, entry_key: str) -> Any:
        return self._stored.get(entry_key)

    def keep(self, entry_key: str, value: Any) -> None:
        """Keep `value` under `entry_key` when the cache is saved."""
        self._used[entry_key] = value

    def content_hash_of(self, path: Path, info: os.stat_result | None = None) -> str:
        """The hash of the bytes of the file at `path` (content_hash): the
        one remembered while its stat (`info`, taken since the run began,
        or now) is as it was, else read. Raises OSError."""
        from txplan.plan.files import read_limited

        text = os.fspath(path)
        if info is None:
            info = os.stat(path)
        stamp: list[Any] = [
            info.st_dev,
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
            info.st_ctime_ns,
        ]
        known = self._stats.get(text) if STATS_TELL_CHANGES else None
        if type(known) is list and len(known) == 6 and known[:5] == stamp:
            found = known[5]
            if type(found) is str and _HASH.fullmatch(found):
                self._stats_used[text] = known
                return found
        found = content_hash(read_limited(path))
        if STATS_TELL_CHANGES and max(info.st_mtime_ns, info.st_ctime_ns) < self._settled_before:
            stamp.append(found)
            self._stats_used[text] = stamp
        return found

    def save(self) -> None:
        """Write the entries used in this run (and some others) back; a
        folder that cannot be written leaves the cache as it was."""
        from txplan.plan import files

        entries = _kept(self._stored, self._used)
        stats = _kept(self._stats, self._stats_used)
        if entries == self._stored and stats == self._stats:
            return
        text = json.dumps(
            {"format": FORMAT, "txplan": fingerprint(), "entries": entries, "stats": stats},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        made = not os.path.lexists(self.folder)
        try:
            if made:
                self.folder.mkdir(mode=0o700)
                files.replace(self.folder / ".gitignore", GITIGNORE)
            files.replace(self.folder / self.file_name, text)
        except (OSError, ValueError):
            if made:  # a full disk leaves no empty cache folder behind
                import shutil

                shutil.rmtree(self.folder, ignore_errors=True)


def remembered_or_made(
    home: EntryCache,
    path: Path,
    info: os.stat_result | None,
    key_of: Callable[[str], str],
    decode: Callable[[Any], T | None],
    make: Callable[[bytes], T],
    encode: Callable[[T], Any],
) -> T:
    """What `home` holds for the file at `path` (stat `info`), under `key_of`
    its content_hash and as `decode` reads it; else `make` of its bytes,
    kept under the key of the bytes read, so a file edited meanwhile is never
    filed under its old text. Raises OSError."""
    from txplan.plan.files import read_limited

    entry_key = key_of(home.content_hash_of(path, info))
    stored = home.entry(entry_key)
    found = decode(stored)
    if found is not None:
        home.keep(entry_key, stored)  # as read: it holds together
        return found
    raw = read_limited(path)
    made = make(raw)
    home.keep(key_of(content_hash(raw)), encode(made))
    return made


def _kept(stored: dict[str, Any], used: dict[str, Any]) -> dict[str, Any]:
    """What a save keeps: the values used this run, after the newest
    KEEP_UNUSED of the others."""
    unused = [k for k in stored if k not in used][-KEEP_UNUSED:]
    return {**{k: stored[k] for k in unused}, **used}


class ResultCache(EntryCache):
    """Lint results: `get` and `put` one plan's by key, then `save`."""

    def get(self, entry_key: str) -> Result | None:
        stored = self.entry(entry_key)
        result = None if stored is None else _decode(stored)
        if result is not None:
            self.keep(entry_key, stored)
        return result

    def put(self, entry_key: str, result: Result) -> None:
        self.keep(entry_key, _encode(result))


CacheT = TypeVar("CacheT", bound=EntryCache)


class Caches(Generic[CacheT]):
    """The cache files of one run, one per plans folder (or all in
    `cache_dir`), opened when a plan first needs one and saved together."""

    def __init__(
        self,
        kind: type[CacheT],
        file_name: str = FILE_NAME,
        cache_dir: Path | None = None,
        started: int | None = None,
    ) -> None:
        """`started`: when the run began, before it took any stat it will
        pass to content_hash_of (now, if it takes none before this)."""
        self._kind = kind
        self._started = time.time_ns() if started is None else started
        self._file_name = file_name
        self._cache_dir = cache_dir
        self._open: dict[Path, CacheT] = {}
        # By txplan.toml: the plans it governs share its folder's cache, found
        # without making a Path for each of them.
        self._by_settings: dict[Path, CacheT] = {}

    def for_plan(self, config: Config, plan: Path) -> CacheT:
        if self._cache_dir is None and config.path is not None:
            known = self._by_settings.get(config.path)
            if known is None:
                known = self._by_settings[config.path] = self._opened(folder_for(config, plan))
            return known
        return self._opened(self._cache_dir or folder_for(config, plan))

    def _opened(self, folder: Path) -> CacheT:
        found = self._open.get(folder)
        if found is None:
            found = self._open[folder] = self._kind(folder, self._file_name, self._started)
        return found

    def save(self) -> None:
        for opened in self._open.values():
            opened.save()


def facts_key(kind: str, name: str, content: str) -> str:
    """The key for what `kind` (due) reads from one plan's text (`content`,
    its content_hash), before any date or setting is applied to it."""
    digest = hashlib.sha256(f"{FORMAT} {fingerprint()} {kind}\0".encode())
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(content.encode("ascii"))
    return digest.hexdigest()


def _read(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The entries and the files' stats of the cache file at `path`; none
    when it is missing, too big, not JSON, or written by another txplan."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_BYTES else None
    except (OSError, ValueError, RecursionError):
        return {}, {}
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("txplan") != fingerprint()
        or not isinstance(data.get("entries"), dict)
        or not isinstance(data.get("stats"), dict)
    ):
        return {}, {}
    return data["entries"], data["stats"]


# An entry, as JSON: [file, findings, record], flat lists that a warm caseload
# reads back ten thousand at a time. A name equal to the entry's file is null.
# - a finding: [code, name, severity, message, path, line, column, end line,
#   end column, file];
# - the record (or null): [file, client ID, its span's four numbers, objectives],
#   the objectives flat, eight values each: [ID, fingerprint, the statement's
#   span's four numbers, goal index, objective index].
_OBJECTIVE = 8


def _encode(result: Result) -> list[Any]:
    file, findings, record = result
    encoded: list[list[Any]] = [
        [f.code, f.name, f.severity.value, f.message, list(f.path), *_numbers(f.span), None]
        for f in findings
    ]
    for row, f in zip(encoded, findings, strict=True):
        if f.file != file:
            row[-1] = f.file
    if record is None:
        return [file, encoded, None]
    objectives: list[Any] = []
    for o in record.objectives:
        objectives += [o.objective_id, o.fingerprint, *_numbers(o.span)]
        objectives += [o.goal_index, o.objective_index]
    owner = None if record.file == file else record.file
    return [file, encoded, [owner, record.client_id, *_numbers(record.id_span), objectives]]


def _numbers(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.column, span.end_line, span.end_column


def _decode(stored: Any) -> Result | None:
    """The result an entry holds, or None if it does not hold together. Each
    value's type is tested where it is read: a warm caseload decodes tens of
    thousands."""
    from txplan.records import ObjectiveText, PlanRecord

    try:
        file, encoded, held = stored
        if type(file) is not str:
            raise TypeError("not text")
        findings = []
        for code, name, severity, message, path, line, column, end_line, end_column, at in encoded:
            if (
                type(code) is not str
                or type(name) is not str
                or type(message) is not str
                or (at is not None and type(at) is not str)
            ):
                raise TypeError("not text")
            span = _span_of(line, column, end_line, end_column)
            at = file if at is None else at
            findings.append(
                Finding(code, name, _SEVERITY[severity], message, _path(path), span, at)
            )
        if held is None:
            return file, findings, None
        owner, client, line, column, end_line, end_column, flat = held
        if (owner is not None and type(owner) is not str) or type(client) is not str:
            raise TypeError("not text")
        if type(flat) is not list or len(flat) % _OBJECTIVE:
            raise TypeError("not objectives")
        texts = []
        for at_value in range(0, len(flat), _OBJECTIVE):
            oid, digest, o_line, o_column, o_end_line, o_end_column, goal, objective = flat[
                at_value : at_value + _OBJECTIVE
            ]
            if type(oid) is not str or type(digest) is not str:
                raise TypeError("not text")
            if type(goal) is not int or type(objective) is not int:
                raise TypeError("not an index")
            o_span = _span_of(o_line, o_column, o_end_line, o_end_column)
            texts.append(ObjectiveText(oid, digest, o_span, goal, objective))
        id_span = _span_of(line, column, end_line, end_column)
        record = PlanRecord(file if owner is None else owner, client, id_span, tuple(texts))
        return file, findings, record
    except (KeyError, TypeError, ValueError):
        return None


# Severity by its value, without the enum's call (a warm caseload reads one per finding).
_SEVERITY = {severity.value: severity for severity in Severity}


def _span_of(line: Any, column: Any, end_line: Any, end_column: Any) -> Span:
    if (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
    ):
        return Span(line, column, end_line, end_column)
    raise TypeError("not a span")


def _path(value: Any) -> tuple[str | int, ...]:
    if type(value) is not list:
        raise TypeError("not a path")
    for part in value:
        if type(part) is not str and type(part) is not int:
            raise TypeError("not a path")
    return tuple(value)


# --- clean-cache ----------------------------------------------------------------
# `txplan clean-cache` removes only what txplan wrote: its cache files, the
# folder's `.gitignore` and the temporary files of an interrupted write. A
# folder that holds anything else (a `--cache-dir` pointed at the wrong place)
# keeps it, and the report says so: nothing of the clinician's is lost.

# Every file a cache folder of txplan's can hold.
OWN_FILES = frozenset({FILE_NAME, "due.json", "status.json", ".gitignore"})


@dataclass
class Cleaned:
    """What a clean-up removed, by cache folder, and what it left."""

    removed: dict[Path, int] = field(default_factory=dict)  # folder -> files removed
    kept: dict[Path, list[str]] = field(default_factory=dict)  # folder -> names not ours
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Removed the cache in {_shown(folder)} ({count} file{'s' if count != 1 else ''})."
            for folder, count in self.removed.items()
        ]
        for folder, names in self.kept.items():
            listed = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
            out.append(
                f"Left {_shown(folder)} in place: it holds files txplan did not write ({listed})."
            )
        if not self.removed and not self.kept and not self.errors:
            out.append("No txplan cache was found.")
        return out


def _shown(folder: Path) -> str:
    """The folder as the user would write it: relative to here when below it."""
    relative = os.path.relpath(folder)
    return folder.as_posix() if relative.startswith("..") else relative


def _ours(path: Path) -> bool:
    """Whether txplan wrote this file: a cache file as it writes them, its
    `.gitignore` word for word, or the temporary file of an interrupted
    write (`.<name>.<random>.tmp`, files.replace). A `--cache-dir` may name a
    folder the clinician keeps other things in, `.gitignore` and all."""
    name = path.name
    if name.startswith(".") and name.endswith(".tmp"):
        return name[1:].split(".")[0] in _STEMS
    if name not in OWN_FILES or path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            start = handle.read(len(GITIGNORE) + 1)
    except OSError:
        return False
    if name == ".gitignore":
        return start == GITIGNORE.encode()
    return start.startswith(b'{"format":')


_STEMS = frozenset(name.lstrip(".").split(".")[0] for name in OWN_FILES)


def cache_folders(paths: list[Path]) -> list[Path]:
    """The cache folders under each of `paths` (a plans folder, a plan), and
    the one of the txplan.toml that governs it; git's folder is not entered."""
    from txplan.settings.reading import ConfigFinder

    finder = ConfigFinder()
    found: dict[Path, None] = {}
    for path in paths:
        folder = path if path.is_dir() else path.parent
        probe = folder / "any.plan.yaml"  # where a plan of this folder would be
        governing = folder_for(finder.for_file(probe), probe)
        if governing.is_dir():
            found[governing] = None
        if not path.is_dir():
            continue
        for root, dirs, _ in os.walk(path):
            if FOLDER_NAME in dirs:
                found[Path(root) / FOLDER_NAME] = None
            dirs[:] = sorted(d for d in dirs if d not in (".git", FOLDER_NAME))
    return list(found)


def clean(folders: list[Path]) -> Cleaned:
    """Remove txplan's files from each cache folder, and the folder once empty."""
    out = Cleaned()
    for folder in folders:
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        except OSError as exc:
            out.errors.append(f"{folder}: cannot read the folder ({exc.strerror or exc}).")
            continue
        removed = 0
        others: list[str] = []
        for name in names:
            if not _ours(folder / name):
                others.append(name)
                continue
            try:
                os.unlink(folder / name)
                removed += 1
            except OSError as exc:
                out.errors.append(f"{folder / name}: cannot remove it ({exc.strerror or exc}).")
        if others:
            out.kept[folder] = others
        else:
            try:
                folder.rmdir()
            except OSError as exc:
                out.errors.append(f"{folder}: cannot remove it ({exc.strerror or exc}).")
        if removed:
            out.removed[folder] = removed
    return out
