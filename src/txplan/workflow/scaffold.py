"""Scaffolds for `txplan new`: choosing a template by diagnosis and rendering it.

Templates live in templates/scaffolds/ (shipped in the package as
txplan/templates/scaffolds/); index.toml lists them. What only the clinician
can know is written as a visible placeholder (see placeholders.py), so a
fresh scaffold never passes `txplan lint` untouched: the guard against
canned, copy-paste plans.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache

from txplan import resources
from txplan.config import Config

# What the scaffold writes where the clinician gave nothing.
UNKNOWN = {
    "name": "<client's full name>",
    "dob": "<YYYY-MM-DD date of birth>",
    "clinician": "<your name>",
    "credentials": "<your credentials, e.g. LCSW>",
}
MAX_WEEKS = 12  # objectives within the 12-week rule (TheraFocus, *How to write treatment plans*)


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    code: str
    matches: tuple[str, ...]
    guardian: bool = False


@dataclass(frozen=True)
class Request:
    """What the clinician asked for; None where they gave nothing."""

    client_id: str
    template: Template
    code: str | None = None
    name: str | None = None
    dob: dt.date | None = None
    payer: str | None = None
    clinician: str | None = None
    credentials: str | None = None


@cache
def catalog() -> dict[str, Template]:
    import tomllib

    index = tomllib.loads(
        (resources.templates_dir() / "scaffolds" / "index.toml").read_text("utf-8")
    )
    return {
        name: Template(
            name,
            entry["title"],
            entry["code"],
            tuple(entry.get("matches", [])),
            bool(entry.get("guardian", False)),
        )
        for name, entry in index.items()
    }


def for_diagnosis(code: str | None) -> Template:
    """The template whose code prefixes match `code` best; blank if none."""
    templates = catalog()
    if code:
        best = max(
            (
                (len(prefix), t)
                for t in templates.values()
                for prefix in t.matches
                if code.startswith(prefix)
            ),
            default=None,
            key=lambda pair: pair[0],
        )
        if best:
            return best[1]
    return templates["blank"]


@dataclass(frozen=True)
class Dates:
    today: dt.date
    review_by: dt.date
    weeks: int
    due: dt.date
    weeks_early: int
    due_early: dt.date


def plan_dates(today: dt.date, cycle_days: int) -> Dates:
    """Review by the payer's cycle; objectives due within it and the 12-week rule."""
    review_by = today + dt.timedelta(days=cycle_days)
    weeks = max(1, min(MAX_WEEKS, cycle_days // 7))
    due = min(today + dt.timedelta(weeks=weeks), review_by)
    weeks_early = max(1, weeks // 2)
    return Dates(today, review_by, weeks, due, weeks_early, today + dt.timedelta(weeks=weeks_early))


def _yaml_id(client_id: str) -> str:
    """The ID as YAML that reads back as the same text: `1043` and `1e5`
    unquoted are numbers (`1e5` is 100000.0), so those are quoted."""
    from txplan.plan.loader import load_text

    read = load_text(f"id: {client_id}\n").data
    return client_id if read == {"id": client_id} else json.dumps(client_id)


def render(request: Request, config: Config, today: dt.date, schema: str) -> str:
    """The scaffold's text (YAML), ready to write."""

    from txplan import __version__
    from txplan.clinical import icd

    env = resources.environment("scaffolds", autoescape=False)  # YAML: values go through `q`
    # Every value the clinician typed goes in as a quoted YAML string, so no
    # name or credential can break the file's structure.
    env.filters["q"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    code = request.code or request.template.code or "<ICD-10-CM code>"
    info = icd.lookup(code)
    dates = plan_dates(today, config.review_cycle(request.payer))
    credentials = request.credentials or UNKNOWN["credentials"]
    prelicensed = {c.lower() for c in config.prelicensed_credentials}
    return env.get_template(f"{request.template.name}.plan.yaml.j2").render(
        version=__version__,
        template=request.template.name,
        schema=schema,
        client_id=_yaml_id(request.client_id),
        name=request.name or UNKNOWN["name"],
        dob=request.dob.isoformat() if request.dob else UNKNOWN["dob"],
        payer=request.payer,
        clinician=request.clinician or UNKNOWN["clinician"],
        credentials=credentials,
        supervisor=credentials.strip().lower() in prelicensed,
        guardian=request.template.guardian,
        code=code,
        code_title=info.title if info else "<diagnosis name>",
        today=dates.today.isoformat(),
        review_by=dates.review_by.isoformat(),
        weeks=dates.weeks,
        due=dates.due.isoformat(),
        weeks_early=dates.weeks_early,
        due_early=dates.due_early.isoformat(),
    )
