"""`txplan report`: a caseload's figures, as a clinical director reads them
each month. Pure functions over paths and settings: the command prints
what `gather` returns, as JSON (`as_json`) or as a page
(txplan.outputs.report_page).

The figures come from the commands that already answer each question, so
the report and they never disagree:

- reviews: `txplan due` (txplan.workflow.due), the same rows and states;
- plan quality: `txplan lint` over the same folder, plans and notes;
- the trend: each plan as it stood at each month's end in git (the last
  version committed by then; this month, the working copy), checked as of
  the day that version was committed, so a plan's count does not change
  with the day the report is made;
- measurement-based care: the instruments `due --kind measures` lists, the
  objectives `txplan status` judges, and each client's first and latest
  score (txplan.clinical.outcomes);
- notes: each session note's signature against its limit, as rule N005
  reads it; objectives neglected (N007) and sessions with no plan in force
  (N003), from lint.

Everything is counted once a plan, under its file; a client's notes count
under the plan that names the client.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

from txplan import __version__
from txplan.settings.reading import ConfigFinder

# The JSON's `txplan_report`: raised when a field changes meaning or goes.
REPORT_VERSION = 1


def gather(
    paths: list[str],
    today: dt.date,
    *,
    config_override: str | None = None,
    since: dt.date | None = None,
    clinician: str | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """The report's figures (docs/report.md). One lint of the folder reads
    every plan once: its findings, `due`'s facts and the report's come from
    the same reading. Raises UsageError or ConfigError."""
    from txplan.workflow import due as reviews
    from txplan.workflow.lint import lint_paths
    from txplan.workflow.report import figures
    from txplan.workflow.report.gleaning import ReportGleaner, unpacked
    from txplan.workflow.report.trend import trend

    finder = ConfigFinder(Path(config_override) if config_override else None)
    linted = lint_paths(
        paths,
        today=today,
        config_override=config_override,
        use_cache=use_cache,
        cache_dir=cache_dir,
        gleaner=ReportGleaner(finder),
    )
    found = reviews.Due(("reviews", "measures"), problems=list(linted.errors))
    read, facts = [], []
    notes_seen: set[str] = set()  # a client with two plans has one set of notes
    for name, (path, config, gleaned) in linted.gleaned.items():
        due_facts, plan = unpacked(gleaned)
        if "problem" in due_facts:
            found.problems.append(due_facts["problem"])
            continue
        read.append((name, path, config, due_facts))
        if plan is not None:
            facts.append(figures.own_notes(plan, notes_seen))
    found = reviews.select_all(reviews.listed(found, read, today, finder), None, False, clinician)
    where = functools.cache(os.path.abspath)  # the working folder stays as it is meanwhile
    listed = {where(row.file): row for row in found.reviews}
    facts = [f for f in facts if where(f.file) in listed]
    owner = figures.owners(listed, facts, where)
    # Each file lint reports on, to the plan it belongs to (None: to no plan
    # listed), as `txplan lint` names it.
    owner_of = {file: owner.get(where(file)) for file in {f.file for f in linted.findings}}
    # All of lint's findings, as `txplan lint` counts them; for one clinician,
    # those on their plans and their clients' notes.
    findings = linted.findings
    if clinician:
        findings = [f for f in findings if owner_of[f.file] is not None]
    history = trend(found.reviews, today, since, finder, use_cache, cache_dir)
    return {
        "txplan_report": REPORT_VERSION,
        "txplan": __version__,
        "today": today.isoformat(),
        "since": since.isoformat() if since else None,
        "clinician": clinician,
        "redacted": False,
        "caseload": figures.caseload(found.reviews, facts),
        "reviews": figures.reviews(found.reviews),
        "quality": {**figures.quality(findings, found.reviews, owner_of), "trend": history},
        "measurement": figures.measurement(found.measures, facts),
        "notes": figures.notes(facts, findings, owner_of, since),
        "problems": sorted(set(found.problems)),
    }


def as_json(figures: dict[str, Any]) -> str:
    from txplan.outputs import jsontext

    return jsontext.dumps(figures)


def redacted(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures for a report that leaves the practice: each clinician's
    name replaced by "Clinician 1", "Clinician 2", ... (in the order of
    their names), where the figures name clinicians and nowhere else; files
    left out (a folder may be named for its clinician, a misnamed file for
    its client), and the plans not counted only counted."""
    import copy

    from txplan.workflow.report.figures import NO_CLINICIAN, NO_PLAN

    out = copy.deepcopy(figures)
    names: dict[str, str] = {}
    for name in sorted(out["caseload"]["by_clinician"]):
        if name not in (NO_CLINICIAN, NO_PLAN):  # stand-ins, not names
            names[name] = f"Clinician {len(names) + 1}"
    for section in ("caseload", "reviews", "quality", "notes"):
        if out[section] is not None:
            held = out[section]["by_clinician"]
            out[section]["by_clinician"] = {names.get(k, k): v for k, v in held.items()}
    for row in (*out["reviews"]["overdue_plans"], *out["quality"]["most_errors"]):
        row["clinician"] = names.get(row["clinician"], row["clinician"])
        row["file"] = None
    if out["clinician"] is not None:
        out["clinician"] = "(withheld)"
    if out["problems"]:
        count = len(out["problems"])
        out["problems"] = [
            f"{count} plan{'s' if count != 1 else ''} could not be counted; "
            "the report without --redact names them."
        ]
    out["redacted"] = True
    return out
