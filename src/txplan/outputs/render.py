"""`txplan render`: the plan as a document to sign, send or print.

A view of the plan (plain dicts and strings) is built here, de-identified
when asked (txplan.outputs.redact: HIPAA Safe Harbor, after HHS, *Guidance Regarding
Methods for De-identification of Protected Health Information*), and laid out
by Jinja templates in templates/render/ (StrictUndefined;
HTML autoescaped, so no text in a plan can become markup). Charts are inline
SVG built here, with every label escaped.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from txplan.clinical import instruments, progress
from txplan.config import Config
from txplan.plan.model import Contact, ObjectiveMeasure, Plan

if TYPE_CHECKING:
    from jinja2 import Template

    from txplan.clinical.progress import SinceReview
    from txplan.plan.notes.model import Note

FORMATS = ("html", "md")


def _d(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _frequency(plan: Plan) -> str:
    f = plan.frequency
    if f is None:
        return ""
    parts = [f.sessions or "", f"{f.minutes} minutes" if f.minutes else "", f.format or ""]
    if f.duration_weeks:
        parts.append(f"for {f.duration_weeks} weeks")
    elif f.expected_sessions:
        parts.append(f"about {f.expected_sessions} sessions")
    return ", ".join(p for p in parts if p)


def _entries(entries: list[str | Contact]) -> list[str]:
    """Supports and contacts as lines, whether written as text or as mappings."""
    from txplan.outputs.redact import contact_text

    return [e if isinstance(e, str) else contact_text(e.name, e.relation, e.phone) for e in entries]


def build_view(
    plan: Plan,
    config: Config,
    today: dt.date,
    redact: bool = False,
    since: SinceReview | None = None,
    notes: Sequence[Note] = (),
) -> dict[str, Any]:
    """The plan as the templates read it; `since`, the session notes since
    the last review, adds a section on them (`txplan render --since-review`);
    `notes`' scores join the plan's measures in the charts."""
    view: dict[str, Any] = {
        "client": _client(plan),
        "clinician": _clinician(plan),
        "written": _d(plan.written),
        "review_by": _d(plan.review_by),
        "session": _session(plan),
        "diagnoses": [
            {
                "code": d.code or "",
                "name": d.name or "",
                "role": d.role or "",
                "severity": d.severity or "",
                "criteria": d.criteria or "",
            }
            for d in plan.diagnoses
        ],
        "assessment": _assessment(plan),
        "recommendation": plan.recommendation or "",
        "problems": [
            {"id": p.id or "", "statement": p.statement or "", "diagnoses": ", ".join(p.diagnoses)}
            for p in plan.problems
        ],
        "goals": _goals(plan),
        "frequency": _frequency(plan),
        "discharge_criteria": plan.discharge_criteria or "",
        "safety_plan": _safety_plan(plan),
        "last_review": _last_review(plan),
        "since_review": _since_review(plan, since, config) if since is not None else None,
        "signatures": _signatures(plan),
        "redacted": redact,
        "today": today.isoformat(),
    }
    view["banner"] = BANNER
    if redact:
        view = _redacted(plan, view, today)
    view["charts"] = charts(plan, config, redact, notes)  # scores, dates and targets: no free text
    return view


def _client(plan: Plan) -> dict[str, str]:
    client = plan.client
    return {
        "id": client.id,
        "name": client.name or "",
        "dob": _d(client.dob),
        "member_id": client.member_id or "",
        "pronouns": client.pronouns or "",
        "payer": client.payer or "",
    }


def _clinician(plan: Plan) -> dict[str, str]:
    clinician = plan.clinician
    return {
        "name": (clinician.name or "") if clinician else "",
        "credentials": (clinician.credentials or "") if clinician else "",
        "npi": (clinician.npi or "") if clinician else "",
    }


def _session(plan: Plan) -> dict[str, Any]:
    session = plan.session
    return {
        "date": _d(session.date) if session else "",
        "start": (session.start or "") if session else "",
        "end": (session.end or "") if session else "",
        "place": (session.place or "") if session else "",
        "client_location": (session.client_location or "") if session else "",
        "hipaa_platform": bool(session and session.hipaa_platform),
    }


def _assessment(plan: Plan) -> dict[str, Any]:
    assessment = plan.assessment
    risk = assessment.risk if assessment else None
    return {
        "presenting_problem": (assessment.presenting_problem or "") if assessment else "",
        "history": (assessment.history or "") if assessment else "",
        "strengths": list(assessment.strengths) if assessment else [],
        "impairments": list(assessment.impairments) if assessment else [],
        "risk_level": (risk.level or "") if risk else "",
        "risk_notes": (risk.notes or "") if risk else "",
    }


def _goals(plan: Plan) -> list[dict[str, Any]]:
    """Goals with their objectives, each objective with the interventions serving it."""
    serving: dict[str, list[dict[str, str]]] = {}
    for i in plan.interventions:
        for ref in i.objectives:
            serving.setdefault(ref, []).append(
                {
                    "id": i.id or "",
                    "statement": i.statement or "",
                    "modality": i.modality or "",
                    "by": i.by or "",
                }
            )
    goals = []
    for g in plan.goals:
        objectives = [
            {
                "id": o.id or "",
                "statement": o.statement or "",
                "target_date": _d(o.target_date),
                "status": o.status or "",
                "measure": _measure(o.measure),
                "interventions": serving.get(o.id or "", []),
            }
            for o in g.objectives
        ]
        goals.append(
            {
                "id": g.id or "",
                "statement": g.statement or "",
                "client_words": g.client_words or "",
                "problems": ", ".join(g.problems),
                "target_date": _d(g.target_date),
                "status": g.status or "",
                "objectives": objectives,
            }
        )
    return goals


def _measure(m: ObjectiveMeasure | None) -> str:
    """An objective's measure in a few words: instrument, baseline, target."""
    if not (m and m.instrument):
        return ""
    parts = [m.instrument]
    if m.baseline is not None:
        parts.append(f"baseline {m.baseline:g}")
    if m.target is not None:
        parts.append(f"target {m.target:g}")
    return ", ".join(parts)


def _safety_plan(plan: Plan) -> dict[str, list[str]]:
    safety = plan.safety_plan
    return {
        "warning_signs": list(safety.warning_signs) if safety else [],
        "coping": list(safety.coping) if safety else [],
        "supports": _entries(safety.supports) if safety else [],
        "crisis_contacts": _entries(safety.crisis_contacts) if safety else [],
    }


def _last_review(plan: Plan) -> dict[str, Any] | None:
    """The most recent dated review, or None when there is none."""
    last = max(
        (r for r in plan.reviews if r.date), key=lambda r: r.date or dt.date.min, default=None
    )
    if not last:
        return None
    return {
        "date": _d(last.date),
        "by": last.by or "",
        "summary": last.summary or "",
        "ratings": [
            {
                "goal": r.goal or "",
                "rating": "" if r.rating is None else str(r.rating),
                "note": r.note or "",
            }
            for r in last.progress
        ],
    }


def _since_review(plan: Plan, since: SinceReview, config: Config) -> dict[str, Any]:
    """The notes since the last review as a review meeting reads them: how
    many, and for each goal's active objectives how many notes took each up
    and the latest progress written for it (an objective no note cites says
    so plainly: it is being set and forgotten), then the goal's scores."""
    from txplan.rules.notes import active_objectives

    active = set(active_objectives(plan))
    total = since.notes
    noun = "note" if total == 1 else "notes"
    goals = []
    for g in plan.goals:
        objectives = []
        for o in g.objectives:
            if not o.id or o.id not in active:
                continue
            seen = since.addressed.get(o.id)
            objectives.append(
                {
                    "id": o.id,
                    # Followed by a colon here: "... panic log: addressed in 2 of 3 notes".
                    "statement": (o.statement or "").strip().rstrip("."),
                    "addressed": (
                        f"addressed in {seen.count} of {total} {noun}"
                        if seen
                        else "not addressed in any note since the last review"
                    ),
                    "cited": seen is not None,
                    "latest": seen.latest if seen else "",
                    "latest_date": _d(seen.latest_date) if seen else "",
                }
            )
        if not objectives:
            continue
        measured = any(o.measure and o.measure.instrument for o in g.objectives)
        goals.append(
            {
                "id": g.id or "",
                "statement": g.statement or "",
                "objectives": objectives,
                "scores": [change.text() for change in since.goal_scores(g, config)],
                "measured": measured,
            }
        )
    return {
        # A plan with no review and no `written` date: every note counts.
        "since": _d(since.since) if since.since > dt.date.min else "the first note",
        "until": _d(since.until),
        "notes": total,
        "count": f"{total} session {noun} since the last review.",
        "goals": goals,
    }


def _signatures(plan: Plan) -> list[dict[str, str]]:
    """A line for each signature the plan needs: the guardian's and the supervisor's
    only when the plan has them."""
    sig = plan.signatures
    signatures = []
    for role, entry in (
        ("Client", sig.client if sig else None),
        ("Parent or guardian", sig.guardian if sig else None),
        ("Clinician", sig.clinician if sig else None),
        ("Supervisor", sig.supervisor if sig else None),
    ):
        if entry is None and role in ("Parent or guardian", "Supervisor"):
            continue
        signatures.append(
            {
                "role": role,
                "name": (entry.name or "") if entry else "",
                "credentials": getattr(entry, "credentials", None) or "",
                "date": _d(entry.date) if entry else "",
                "method": getattr(entry, "method", None) or "",
            }
        )
    return signatures


# --- redaction -----------------------------------------------------------------

BANNER = (
    "De-identified copy (HIPAA Safe Harbor): names of the client, family, supports and "
    "clinicians, phone numbers, e-mail and street addresses, places, ZIP codes, member, "
    "record and other ID numbers and the NPI are replaced by labels such as [CLIENT] "
    "wherever they appear; every date shows its year only. The client ID is kept. Check "
    "what no pattern can know (an employer or school named in passing) before sharing."
)


def _each_string(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_each_string(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _each_string(v, change) for k, v in value.items()}
    return value


def _redacted(plan: Plan, view: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The view with every identifier replaced (txplan.outputs.redact); fields whose
    whole value identifies get their label directly."""
    from txplan.outputs import redact

    redactor = redact.for_plan(plan, today)
    out: dict[str, Any] = _each_string(view, redactor.text)

    def labelled(value: str, name: str) -> str:
        return redact.label(name) if value else ""

    client, clinician, session = out["client"], out["clinician"], out["session"]
    client["id"] = plan.client.id
    client["name"] = labelled(view["client"]["name"], "CLIENT")
    client["dob"] = redact.birth_year(plan.client.dob, plan.written or today)
    client["member_id"] = labelled(view["client"]["member_id"], "MEMBER ID")
    clinician["name"] = labelled(view["clinician"]["name"], "CLINICIAN")
    clinician["npi"] = labelled(view["clinician"]["npi"], "NPI")
    # A time of day is an element of a date more precise than the year.
    session["start"] = session["end"] = ""
    session["client_location"] = labelled(view["session"]["client_location"], "LOCATION")
    roles = {
        "Client": "CLIENT",
        "Parent or guardian": "GUARDIAN",
        "Clinician": "CLINICIAN",
        "Supervisor": "SUPERVISOR",
    }
    for signature in out["signatures"]:
        signature["name"] = labelled(signature["name"], roles[signature["role"]])
    # The day of rendering is no date about the client, but the banner's
    # promise is simpler kept whole: every date its year.
    out["today"] = str(today.year)
    return out


# --- charts ------------------------------------------------------------------------

_BAND_FILLS = ("#eef6ee", "#f6f6e8", "#fbf0e4", "#fbe8e6", "#f5e1e8")


def charts(
    plan: Plan, config: Config, redact: bool = False, notes: Sequence[Note] = ()
) -> list[dict[str, str]]:
    """One inline SVG per instrument scored in `measures` or a session note:
    scores over time (one written in both places is one point), severity
    bands shaded, each objective's target as a dashed line. De-identified,
    scores are evenly spaced in order and dated by their year only."""
    out = []
    for inst in progress.measured_instruments(plan, config, notes):
        scores = progress.scores_for(plan, inst, config, notes)
        if not scores:
            continue
        targets = [
            (o.id or "", o.measure.target)
            for g in plan.goals
            for o in g.objectives
            if o.measure
            and o.measure.target is not None
            and o.measure.instrument
            and instruments.find(o.measure.instrument, config) == inst
        ]
        out.append({"instrument": inst.name, "svg": _svg(inst, scores, targets, redact)})
    return out


def _svg(
    inst: instruments.Instrument,
    scores: list[tuple[dt.date, float]],
    targets: list[tuple[str, float]],
    redact: bool = False,
) -> str:
    width, height, left, right, top, bottom = 520, 150, 34, 90, 8, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    lo, hi = inst.low, inst.high
    first, last = scores[0][0], scores[-1][0]
    days = max((last - first).days, 1)

    order = {day: i for i, (day, _) in enumerate(scores)}

    def x(day: dt.date) -> float:
        if len(scores) == 1:
            return left + plot_w / 2
        if redact:  # the spacing of sessions would tell their dates
            return left + plot_w * order[day] / (len(scores) - 1)
        return left + plot_w * (day - first).days / days

    def shown(day: dt.date) -> str:
        return str(day.year) if redact else day.isoformat()

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - lo) / ((hi - lo) or 1))

    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{e(inst.name)} scores over time">'
    ]
    for i, (b_lo, b_hi, label) in enumerate(inst.bands):
        y_top, y_bottom = y(min(b_hi + 0.5, hi)), y(max(b_lo - 0.5, lo))
        parts.append(
            f'<rect x="{left}" y="{y_top:.1f}" width="{plot_w}" height="{y_bottom - y_top:.1f}" '
            f'fill="{_BAND_FILLS[i % len(_BAND_FILLS)]}"/>'
        )
        parts.append(
            f'<text x="{left + plot_w + 4}" y="{(y_top + y_bottom) / 2 + 3:.1f}" '
            f'font-size="8" fill="#666">{e(label[:18])}</text>'
        )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>'
    )
    for value in (lo, hi):
        parts.append(
            f'<text x="{left - 4}" y="{y(value) + 3:.1f}" font-size="9" text-anchor="end">{value:g}</text>'
        )
    for oid, target in targets:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="#2a7" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{left + 3}" y="{y(target) - 3:.1f}" font-size="8" fill="#2a7">'
            f"{e(oid)} target {target:g}</text>"
        )
    points = " ".join(f"{x(d):.1f},{y(s):.1f}" for d, s in scores)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#245" stroke-width="1.5"/>')
    for d, s in scores:
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="{y(s):.1f}" r="2.5" fill="#245">'
            f"<title>{e(shown(d))}: {s:g}</title></circle>"
        )
    parts.append(f'<text x="{left}" y="{height - 6}" font-size="9">{e(shown(first))}</text>')
    if last != first:
        parts.append(
            f'<text x="{left + plot_w}" y="{height - 6}" font-size="9" text-anchor="end">'
            f"{e(shown(last))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# --- output ------------------------------------------------------------------------------


def render(
    plan: Plan,
    config: Config,
    today: dt.date,
    fmt: str,
    redact: bool = False,
    since: SinceReview | None = None,
    notes: Sequence[Note] = (),
) -> str:
    from markupsafe import Markup

    view = build_view(plan, config, today, redact, since, notes)
    for chart in view["charts"]:
        chart["svg"] = Markup(chart["svg"])  # built above with every label escaped
    return _spell_controls(_template(fmt).render(**view))


@functools.cache
def _template(fmt: str) -> Template:
    """The compiled template for `fmt`, once per process: compiling it costs
    ten times more than rendering a plan with it, and a folder has thousands."""
    from txplan.resources import environment

    env = environment(
        "render",
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates are read once here; a folder render never looks again.
        auto_reload=False,
    )
    env.filters["md"] = _markdown_text
    return env.get_template(f"plan.{fmt}.j2")


# C0 and C1 control characters other than tab and line feed (a bare CR
# would move a terminal's cursor back over the line). They mean
# nothing in Markdown or HTML (HTML calls them a parse error), and a document
# printed to stdout lands on a terminal, where ESC clears the screen or plants
# a link. Bidi marks are left alone: a name in Arabic or Hebrew may need them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _spell_controls(document: str) -> str:
    return _CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", document)


def _markdown_text(value: str) -> str:
    """Text safe inside Markdown (and the HTML that Markdown may pass through).
    A redaction label stays as written, `[CLIENT]` as in the HTML: with no link
    definitions in the document it is plain text."""
    from txplan.outputs.redact import outside_labels

    return outside_labels(" ".join(str(value).split()), _escape_markdown)


# What opens a block when the text begins a line or a list item: "1. ",
# "3) ", "+ ", "- ", "---", "===" (a list, a rule, a heading underline).
_BLOCK_START = re.compile(r"^(?:(\d{1,9})([.)])(?=\s|$)|([-+=])(?=[\s\-=]|$))")


def _escape_markdown(text: str) -> str:
    """Plain text that no Markdown reader (CommonMark, GFM) takes for markup:
    inline marks escaped everywhere (`~~` is strike-through in GFM), and a
    list, rule or heading marker at the start."""
    text = html.escape(text, quote=False)
    text = re.sub(r"([\\`*_{}\[\]|#~!])", r"\\\1", text)
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)
