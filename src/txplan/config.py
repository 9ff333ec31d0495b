"""Folder settings from `txplan.toml`, found by walking up from a plan.

A bad setting is not a finding about a plan: it stops the command with a
one-line error naming the file and the key (exit 2), because every result
computed under a wrong setting would be wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAME = "txplan.toml"

DEFAULT_PRELICENSED = ["LPC-Associate", "LMSW", "LAC", "MFT-Associate", "Intern", "Trainee"]
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A txplan.toml that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class Payer:
    review_days: int | None = None
    require: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeclaredInstrument:
    min: float
    max: float
    lower_is_better: bool = True


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    review_days: int = 90
    due_soon_days: int = 14
    documentation_hours: int = 72
    max_goals: int = 3
    max_objectives_per_goal: int = 4
    # X001: an objective reads the same in this many clients' plans
    copied_objective_clients: int = 2
    prelicensed_credentials: tuple[str, ...] = tuple(DEFAULT_PRELICENSED)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    payers: dict[str, Payer] = field(default_factory=dict)
    instruments: dict[str, DeclaredInstrument] = field(default_factory=dict)

    def review_cycle(self, payer: str | None) -> int:
        entry = self.payers.get(payer or "")
        if entry and entry.review_days:
            return entry.review_days
        return self.review_days

    def payer_requires(self, payer: str | None) -> tuple[str, ...]:
        entry = self.payers.get(payer or "")
        return entry.require if entry else ()

    def nearest_payer(self, payer: str) -> str | None:
        """The configured payer key `payer` is likely a misspelling of (None if
        none is close: "did you mean 'state-medicaid'?" for `aetna` misleads)."""
        import difflib

        folded = {key.lower(): key for key in self.payers}
        close = difflib.get_close_matches(payer.lower(), list(folded), n=1, cutoff=0.5)
        return folded[close[0]] if close else None


_INTS = (
    "review_days",
    "due_soon_days",
    "documentation_hours",
    "max_goals",
    "max_objectives_per_goal",
    "copied_objective_clients",
)
_LISTS = ("prelicensed_credentials", "select", "ignore")
_TABLES = ("severity", "payers", "instruments")
_KNOWN = _INTS + _LISTS + _TABLES


def _unknown(where: str, key: str, known: tuple[str, ...] | list[str]) -> ConfigError:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    hint = f" Did you mean `{close[0]}`?" if close else f" Known keys: {', '.join(known)}."
    return ConfigError(f"{where}: unknown setting `{key}`.{hint}")


# No setting means more than a century: a larger number is a typo, and date
# arithmetic with it would overflow.
MAX_SETTING = 36500


def _int(where: str, key: str, value: Any, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_SETTING:
        raise ConfigError(
            f"{where}: `{key}` must be a whole number from {low} to {MAX_SETTING}, not {value!r}."
        )
    return value


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: `{key}` must be a list of text, e.g. {key} = ["A", "B"].')
    return tuple(value)


def _check_codes(where: str, key: str, codes: tuple[str, ...] | list[str]) -> None:
    from txplan.rules import REGISTRY

    for code in codes:
        if not any(c.startswith(code.upper()) for c in REGISTRY) or not code:
            raise ConfigError(
                f"{where}: `{key}` names `{code}`, which is no rule code or prefix "
                "(see `txplan rule`)."
            )


def parse_config(data: dict[str, Any], where: str, path: Path | None = None) -> Config:
    values: dict[str, Any] = {"path": path}
    for key, value in data.items():
        if key not in _KNOWN:
            raise _unknown(where, key, _KNOWN)
        if key in _INTS:
            values[key] = _int(where, key, value, low=1)
        elif key in _LISTS:
            values[key] = _strings(where, key, value)
            if key in ("select", "ignore"):
                _check_codes(where, key, values[key])
    values["severity"] = _severity(where, data.get("severity", {}))
    values["payers"] = _payers(where, data.get("payers", {}))
    values["instruments"] = _instruments(where, data.get("instruments", {}))
    return Config(**values)


def _severity(where: str, table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigError(f'{where}: `[severity]` must be a table of CODE = "error|warning|info".')
    out = {}
    for code, level in table.items():
        # One rule per key: a prefix such as "S" or a misspelt code would
        # change no finding's severity, silently.
        from txplan.rules import REGISTRY

        if code.upper() not in REGISTRY:
            raise _unknown_code(where, code, level)
        if level not in SEVERITIES:
            raise ConfigError(
                f"{where}: severity of {code} must be error, warning or info, not {level!r}."
            )
        out[code.upper()] = level
    return out


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


def _require(where: str, name: str, value: Any) -> tuple[str, ...]:
    """The payer's `require` list, each entry a field of the plan format."""
    import difflib

    fields = _strings(where, f"payers.{name}.require", value)
    if not fields:
        return fields
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
    return fields


def _plan_fields() -> set[str]:
    """Every dotted field of the plan format (`session`, `session.date`, ...)."""
    import typing

    from txplan.model import Plan

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


def _payers(where: str, table: Any) -> dict[str, Payer]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: `[payers]` must hold tables such as [payers.aetna].")
    out = {}
    for name, entry in table.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: `payers.{name}` must be a table.")
        for key in entry:
            if key not in ("review_days", "require"):
                raise _unknown(f"{where}: payers.{name}", key, ("review_days", "require"))
        days = entry.get("review_days")
        out[name] = Payer(
            review_days=_int(where, f"payers.{name}.review_days", days, 1)
            if days is not None
            else None,
            require=_require(where, name, entry.get("require", [])),
        )
    return out


def _number(value: Any) -> float | None:
    """A finite number; TOML also allows `inf` and `nan`, which no range can use."""
    import math

    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _instruments(where: str, table: Any) -> dict[str, DeclaredInstrument]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: `[instruments]` must hold tables such as [instruments.SUDS].")
    out = {}
    for name, entry in table.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: `instruments.{name}` must be a table.")
        for key in entry:
            if key not in ("min", "max", "lower_is_better"):
                raise _unknown(
                    f"{where}: instruments.{name}", key, ("min", "max", "lower_is_better")
                )
        low, high = _number(entry.get("min")), _number(entry.get("max"))
        if low is None or high is None:
            raise ConfigError(
                f"{where}: `instruments.{name}` needs finite numeric `min` and `max`, "
                "e.g. min = 0 and max = 100."
            )
        if low >= high:
            raise ConfigError(f"{where}: `instruments.{name}`: `min` must be below `max`.")
        better = entry.get("lower_is_better", True)
        if not isinstance(better, bool):
            raise ConfigError(
                f"{where}: `instruments.{name}.lower_is_better` must be true or false."
            )
        out[name] = DeclaredInstrument(low, high, better)
    return out


def load_config(path: Path) -> Config:
    import tomllib

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the settings file ({exc.strerror or exc})."
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the settings file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}.") from None
    return parse_config(data, str(path), path)


class ConfigFinder:
    """Finds and caches the txplan.toml that governs each folder."""

    def __init__(self, override: Path | None = None) -> None:
        self._override = load_config(override) if override else None
        self._by_dir: dict[Path, Config] = {}

    def for_file(self, plan: Path) -> Config:
        if self._override is not None:
            return self._override
        start = plan.parent.resolve() if plan.parent else Path.cwd()
        visited: list[Path] = []
        found: Config | None = None
        for folder in (start, *start.parents):
            if folder in self._by_dir:
                found = self._by_dir[folder]
                break
            visited.append(folder)
            candidate = folder / CONFIG_NAME
            if candidate.is_file():
                found = load_config(candidate)
                break
        config = found or Config()
        for folder in visited:
            self._by_dir[folder] = config
        return config
