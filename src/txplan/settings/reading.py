"""Finding txplan.toml for a plan, reading it and checking every value: its
shape (txplan.settings.shape), and what the values name (rule codes, plan
fields, instruments)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from txplan.config import (
    CONFIG_NAME,
    INTEGER_KEYS,
    KNOWN_KEYS,
    LIST_KEYS,
    MAX_SETTING,
    Config,
    ConfigError,
    DeclaredInstrument,
    Payer,
)


def _unknown(where: str, key: str, known: tuple[str, ...] | list[str]) -> ConfigError:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    hint = f" Did you mean `{close[0]}`?" if close else f" Known keys: {', '.join(known)}."
    return ConfigError(f"{where}: unknown setting `{key}`.{hint}")


# A settings file is a few dozen lines; /dev/zero named as one must not fill memory.
MAX_CONFIG_BYTES = 1_000_000
# txplan.toml needs three levels ([payers.x] require = [...]); far deeper is no
# settings file, and walking it would exhaust the stack.
MAX_DEPTH = 16


def _shown(value: Any) -> str:
    """A value quoted in a message, cut short: a 4,000-digit number is a typo
    to point at, not to print."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _whole(key: str, value: Any) -> str:
    return f"`{key}` must be a whole number from 1 to {MAX_SETTING}, not {_shown(value)}."


def _list_of_text(key: str) -> str:
    return f'`{key}` must be a list of text, e.g. {key.rsplit(".", 1)[-1]} = ["A", "B"].'


def _check_codes(where: str, key: str, codes: tuple[str, ...] | list[str]) -> None:
    from txplan.rules import REGISTRY

    for code in codes:
        if not any(c.startswith(code.upper()) for c in REGISTRY) or not code:
            raise ConfigError(
                f"{where}: `{key}` names `{code}`, which is no rule code or prefix "
                "(see `txplan rule`)."
            )


def parse_config(data: dict[str, Any], where: str, path: Path | None = None) -> Config:
    """The settings in `data` (a parsed txplan.toml), or ConfigError naming the
    first key that is wrong and what to write instead. The shape (keys, types,
    bounds) is the pydantic model's; what the values name (rule codes, plan
    fields) is checked here."""
    from pydantic import ValidationError

    from txplan.settings import shape as settings_model

    _check_depth(where, data)
    try:
        model = settings_model.validate(data)
    except ValidationError as exc:
        raise _message(where, data, exc) from None
    values: dict[str, Any] = {"path": path}
    for key in model.model_fields_set:
        if key in INTEGER_KEYS:
            values[key] = getattr(model, key)
        elif key in LIST_KEYS:
            values[key] = tuple(getattr(model, key))
            if key in ("select", "ignore"):
                _check_codes(where, key, values[key])
    values["severity"] = _severity(where, model.severity)
    values["payers"] = {
        name: Payer(entry.review_days, _require(where, name, entry.require), entry.note_hours)
        for name, entry in model.payers.items()
    }
    values["instruments"] = _instruments(where, model.instruments)
    return Config(**values)


def _check_depth(where: str, data: dict[str, Any]) -> None:
    """Without recursion, so a file nested thousands deep is an error, not a crash."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(
                f"{where}: settings nested more than {MAX_DEPTH} levels deep; "
                "txplan.toml needs three at most, e.g. [payers.aetna] require = [...]."
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _message(where: str, data: dict[str, Any], exc: Any) -> ConfigError:
    """The one error a clinician is shown for a settings file pydantic refused:
    a misspelt key first (it explains the rest), then in the file's own order."""
    errors = exc.errors(include_url=False)
    order = {key: n for n, key in enumerate(data)}
    errors.sort(key=lambda e: (e["type"] != "extra_forbidden", order.get(e["loc"][0], 0)))
    error = errors[0]
    loc = tuple(str(part) for part in error["loc"])
    value = error.get("input")
    top = loc[0]
    if error["type"] == "extra_forbidden":
        if len(loc) == 1:
            return _unknown(where, top, KNOWN_KEYS)
        if len(loc) == 3 and top in ("payers", "instruments"):
            known = (
                ("review_days", "require", "note_hours") if top == "payers" else _INSTRUMENT_KEYS
            )
            return _unknown(f"{where}: {top}.{loc[1]}", loc[2], known)
    if top in INTEGER_KEYS:
        return ConfigError(f"{where}: {_whole(top, data[top])}")
    if top in LIST_KEYS:
        return ConfigError(f"{where}: {_list_of_text(top)}")
    if top == "severity":
        if len(loc) == 1:
            return ConfigError(
                f'{where}: `[severity]` must be a table of CODE = "error|warning|info".'
            )
        _severity_code(where, loc[1], value)
        return ConfigError(
            f"{where}: severity of {loc[1]} must be error, warning or info, not {_shown(value)}."
        )
    if top == "payers":
        if len(loc) == 1:
            return ConfigError(f"{where}: `[payers]` must hold tables such as [payers.aetna].")
        if len(loc) == 2:
            return ConfigError(f"{where}: `payers.{loc[1]}` must be a table.")
        if loc[2] in ("review_days", "note_hours"):
            return ConfigError(f"{where}: {_whole(f'payers.{loc[1]}.{loc[2]}', value)}")
        return ConfigError(f"{where}: {_list_of_text(f'payers.{loc[1]}.require')}")
    if top == "instruments":
        if len(loc) == 1:
            return ConfigError(
                f"{where}: `[instruments]` must hold tables such as [instruments.SUDS]."
            )
        if len(loc) == 2:
            return ConfigError(f"{where}: `instruments.{loc[1]}` must be a table.")
        if loc[2] == "lower_is_better":
            return ConfigError(
                f"{where}: `instruments.{loc[1]}.lower_is_better` must be true or false."
            )
        return ConfigError(
            f"{where}: `instruments.{loc[1]}` needs finite numeric `min` and `max`, "
            "e.g. min = 0 and max = 100."
        )
    return ConfigError(f"{where}: `{'.'.join(loc)}`: {error['msg']}.")  # pragma: no cover


_INSTRUMENT_KEYS = ("min", "max", "lower_is_better")


def _severity(where: str, table: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for code, level in table.items():
        _severity_code(where, code, level)
        out[code.upper()] = level
    return out


def _severity_code(where: str, code: str, level: Any) -> None:
    """One rule per key: a prefix such as "S" or a misspelt code would change
    no finding's severity, silently."""
    from txplan.rules import REGISTRY

    if code.upper() not in REGISTRY:
        raise _unknown_code(where, code, level)


def _unknown_code(where: str, code: str, level: Any) -> ConfigError:
    import difflib

    from txplan.rules import REGISTRY, by_code_or_name

    named = by_code_or_name(code)
    if named is not None:
        hint = (
            f' It is the name of rule {named.code}; the key is the code: {named.code} = "{level}".'
        )
    else:
        close = difflib.get_close_matches(code.upper(), list(REGISTRY), n=1, cutoff=0.6)
        hint = f" Did you mean `{close[0]}`?" if close else ""
    return ConfigError(
        f"{where}: severity: `{code}` is not a rule code.{hint} Each key of [severity] is one "
        'rule\'s code, e.g. S004 = "error" (`txplan rule` lists them).'
    )


def _require(where: str, name: str, fields: list[str]) -> tuple[str, ...]:
    """The payer's `require` list, each entry a field of the plan format."""
    import difflib

    if not fields:
        return ()
    known = _plan_fields()
    for dotted in fields:
        if dotted not in known:
            close = difflib.get_close_matches(dotted, sorted(known), n=1, cutoff=0.6)
            hint = f" Did you mean `{close[0]}`?" if close else ""
            raise ConfigError(
                f"{where}: `payers.{name}.require` names `{dotted}`, which is no field of a "
                f"plan.{hint} Name fields as they are written in a plan, e.g. "
                '"session", "assessment.impairments", "signatures.client".'
            )
    return tuple(fields)


def _plan_fields() -> set[str]:
    """Every dotted field of the plan format (`session`, `session.date`, ...)."""
    import typing

    from txplan.plan.model import Plan

    out: set[str] = set()

    def walk(model: Any, prefix: str) -> None:
        for key, info in model.model_fields.items():
            dotted = f"{prefix}{key}"
            out.add(dotted)
            for arg in typing.get_args(info.annotation) or (info.annotation,):
                if hasattr(arg, "model_fields"):
                    walk(arg, dotted + ".")

    walk(Plan, "")
    return out


def _instruments(where: str, table: dict[str, Any]) -> dict[str, DeclaredInstrument]:
    out = {}
    for name, entry in table.items():
        if entry.min >= entry.max:
            raise ConfigError(f"{where}: `instruments.{name}`: `min` must be below `max`.")
        out[name] = DeclaredInstrument(float(entry.min), float(entry.max), entry.lower_is_better)
    return out


def load_config(path: Path) -> Config:
    """The settings in the file at `path`, or ConfigError in one line. Only a
    regular file of at most MAX_CONFIG_BYTES is read: a pipe or a device
    named with --config must neither hang txplan nor fill its memory."""
    import tomllib

    from txplan.plan.files import read_limited

    try:
        raw = read_limited(path, MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the settings file ({exc.strerror or exc})."
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: the settings file is larger than {MAX_CONFIG_BYTES // 1_000_000} MB; "
            "txplan.toml is a few dozen lines."
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the settings file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}.") from None
    except RecursionError:
        raise ConfigError(
            f"{path}: not valid TOML: nested too deeply to read "
            f"(txplan.toml needs three levels at most)."
        ) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise ConfigError(f"{path}: not valid TOML: a number too long to read.") from None
    return parse_config(data, str(path), path)


class ConfigFinder:
    """Finds and caches the txplan.toml that governs each folder: the nearest
    one from the plan's folder up to the root of the git repository holding
    it. A txplan.toml above that root belongs to someone else's folder (a
    home folder's `ignore = ["S", "E", ...]` must not turn a repository's lint
    green), so it is never read for a plan inside the repository.
    """

    def __init__(self, override: Path | None = None) -> None:
        self._override = load_config(override) if override else None
        self._by_dir: dict[Path, Config] = {}
        # By the folder as named: resolving it again for each of a folder's
        # thousands of plans cost more than reading their settings.
        self._by_name: dict[str, Config] = {}

    def for_file(self, plan: Path) -> Config:
        if self._override is not None:
            return self._override
        # The folder as text: a Path's parent costs more than the lookup.
        named = os.path.dirname(os.fspath(plan))
        if named in self._by_name:
            return self._by_name[named]
        self._by_name[named] = config = self._find(plan)
        return config

    def _find(self, plan: Path) -> Config:
        start = plan.parent.resolve() if plan.parent else Path.cwd()
        visited: list[Path] = []
        found: Config | None = None
        for folder in (start, *start.parents):
            if folder in self._by_dir:
                found = self._by_dir[folder]
                break
            visited.append(folder)
            candidate = folder / CONFIG_NAME
            if os.path.lexists(candidate):
                # A pipe, a folder or a broken link named txplan.toml is a
                # settings file that cannot be read: an error, not no settings.
                found = load_config(candidate)
                break
            if os.path.lexists(folder / ".git"):
                break  # the repository's root: settings above it are not its own
        config = found or Config()
        for folder in visited:
            self._by_dir[folder] = config
        return config
