"""`txplan report`'s page: one self-contained HTML file from the report's
figures (txplan.workflow.report). Inline CSS and SVG, no script, and a
Content-Security-Policy that forbids any request, so the page opens the same
offline, in a mail client or on a shared drive. The template is
templates/report/report.html.j2 (StrictUndefined, autoescaped); the charts
are drawn here, every label escaped.

Every figure the page prints carries `data-figure="<JSON path>"`, and every
chart `data-chart`, so a test (or a reader's own tool) can hold the page to
the JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Template
    from markupsafe import Markup

BAR_HEIGHT = 18
LABEL_WIDTH = 120
CHARACTER_WIDTH = 6.4
PLOT_WIDTH = 330
VALUE_WIDTH = 60
COLOURS = {"error": "#b3261e", "warning": "#b26a00", "good": "#2e7d32", "plain": "#3f6e9a"}


def bar_chart(
    chart: str,
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    colour: str = "plain",
    percent: bool = False,
) -> Markup:
    """Horizontal bars, one a row, longest = the largest value (or 100%)."""
    from markupsafe import Markup

    top = 1.0 if percent else max((v for _, v in bars), default=0) or 1
    height = BAR_HEIGHT * len(bars) + 8
    # Room for the longest label, at about a 9 pt character's width.
    left = max(LABEL_WIDTH, CHARACTER_WIDTH * max((len(label) for label, _ in bars), default=0))
    width = left + PLOT_WIDTH + VALUE_WIDTH
    rows = []
    for i, (label, value) in enumerate(bars):
        y = 4 + i * BAR_HEIGHT
        length = PLOT_WIDTH * (value / top) if top else 0
        shown = f"{value:.0%}" if percent else f"{value:g}"
        rows.append(
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="{BAR_HEIGHT - 5}" '
            f'fill="{COLOURS[colour]}" data-label="{escape(label)}" data-value="{value:g}">'
            f"<title>{escape(label)}: {shown}</title></rect>"
            f'<text x="{left + length + 4:.1f}" y="{y + 13}">{shown}</text>'
        )
    if not bars:
        rows.append('<text x="4" y="16">none</text>')
        height = 24
    return Markup(
        f'<figure class="chart" data-chart="{escape(chart)}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"{''.join(rows)}</svg><figcaption>{escape(title)}</figcaption></figure>"
    )


def line_chart(chart: str, title: str, points: Sequence[tuple[str, float | None]]) -> Markup:
    """One value a month, joined where there are values; a month with none
    (no plan committed yet) is left out of the line."""
    from markupsafe import Markup

    width, height, left, bottom = 620, 180, 40, 30
    known = [v for _, v in points if v is not None]
    top = max(known, default=0) or 1
    step = (width - left - 30) / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(value: float) -> float:
        return 10 + (height - bottom - 10) * (1 - value / top)

    marks, line = [], []
    for i, (label, value) in enumerate(points):
        marks.append(
            f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>'
        )
        if value is not None:
            line.append(f"{x(i):.1f},{y(value):.1f}")
            marks.append(
                f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" data-label="{escape(label)}" '
                f'data-value="{value:g}"><title>{escape(label)}: {value:g}</title></circle>'
            )
    axis = (
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" '
        'stroke="#999"/>'
        f'<text x="{left - 4}" y="14" text-anchor="end">{top:g}</text>'
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>'
    )
    path = (
        f'<polyline fill="none" stroke="{COLOURS["error"]}" stroke-width="2" '
        f'points="{" ".join(line)}"/>'
        if len(line) > 1
        else ""
    )
    return Markup(
        f'<figure class="chart" data-chart="{escape(chart)}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f"{axis}{path}{''.join(marks)}</svg><figcaption>{escape(title)}</figcaption></figure>"
    )


def charts(figures: dict[str, Any]) -> dict[str, Markup]:
    """Every chart the page shows, by name."""
    return {**_review_charts(figures), **_quality_charts(figures), **_care_charts(figures)}


def _review_charts(figures: dict[str, Any]) -> dict[str, Markup]:
    reviews = figures["reviews"]
    return {
        "plans_by_clinician": bar_chart(
            "plans-by-clinician",
            "Plans by clinician",
            list(figures["caseload"]["by_clinician"].items()),
        ),
        "reviews": bar_chart(
            "reviews",
            "Reviews overdue and coming due",
            [
                ("overdue", reviews["overdue"]),
                ("due within 7 days", reviews["due_7"]),
                ("due within 30 days", reviews["due_30"]),
            ],
            colour="error",
        ),
        "overdue_by_clinician": bar_chart(
            "overdue-by-clinician",
            "Overdue reviews by clinician",
            [(who, c["overdue"]) for who, c in reviews["by_clinician"].items()],
            colour="error",
        ),
    }


def _quality_charts(figures: dict[str, Any]) -> dict[str, Markup]:
    quality = figures["quality"]
    return {
        "errors_by_family": bar_chart(
            "errors-by-family",
            "Errors by rule family",
            [
                (f"{code} {f['name'].split(' (')[0]}", f["errors"])
                for code, f in quality["by_family"].items()
            ],
            colour="error",
        ),
        "errors_per_plan_by_clinician": bar_chart(
            "errors-per-plan-by-clinician",
            "Errors per plan, by clinician",
            [(who, c["errors_per_plan"]) for who, c in quality["by_clinician"].items()],
            colour="error",
        ),
        "trend": line_chart(
            "trend",
            "Errors per plan, month by month",
            [(m["month"], m["errors_per_plan"]) for m in quality["trend"]["months"]],
        ),
    }


def _care_charts(figures: dict[str, Any]) -> dict[str, Markup]:
    measurement, notes = figures["measurement"], figures["notes"]
    out = {
        "measured_on_time": _shares_on_time(
            "measured-on-time",
            "Clients measured within their cadence, by instrument",
            measurement["instruments"],
        ),
        "objectives": bar_chart(
            "objectives",
            "Objectives with a measured target",
            [
                (k.replace("_", " "), v)
                for k, v in measurement["objectives"].items()
                if k != "with_target"
            ],
            colour="good",
        ),
    }
    if notes is not None:
        out["notes_on_time"] = _shares_on_time(
            "notes-on-time", "Notes signed on time, by clinician", notes["by_clinician"]
        )
    return out


def _shares_on_time(chart: str, title: str, groups: dict[str, Any]) -> Markup:
    """Each group's `share_on_time`, as a percentage bar (none where there is nothing to divide)."""
    shares = [(k, v["share_on_time"]) for k, v in groups.items() if v["share_on_time"] is not None]
    return bar_chart(chart, title, shares, colour="good", percent=True)


# The page's table of rules stops here; the JSON has them all.
RULES_SHOWN = 15


def render(figures: dict[str, Any]) -> str:
    return _template().render(report=figures, charts=charts(figures), rules_shown=RULES_SHOWN)


@functools.cache
def _template() -> Template:
    from txplan.resources import environment

    env = environment(
        "report",
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["share"] = _share
    return env.get_template("report.html.j2")


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"
