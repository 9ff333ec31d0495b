"""Lint session notes against the plan in force, beside yamllint on the same files.

Budget (issue 14): 1,000 plans with 20,000 notes and a git history of 3
versions per plan, all linted in one run within 0.15x yamllint's time on the
same files (the plans, and each note's front matter as a `.yaml` copy:
yamllint cannot read Markdown).

    python benchmarks/notes.py [--plans 1000 --notes-per-plan 20 --versions 3] [--runs 1]
                               [--today 2026-12-01] [--no-profile] [--txplan PATH]

Plans are made from the fictional examples with new client IDs and names,
each objective given a sentence of the client's own (so X001 finds no
copies, up to 10,000 plans), in a fresh git repository: version 1 written,
version 2 a review that rewords O1.1, version 3 (and each later one) a
review that adds an objective to G1, each a `reviews` and a `changes` entry
and the plan signed again. The commits are batched, one per version and
cohort (five cohorts of plans a weekday apart), never one per plan; the last
version takes effect ten weeks before `--today`, the others twelve weeks
apart. The notes, spread from a week after the plan was written to the day
before `--today`, are valid under the version in force on their date: they
cite its active objectives (each within any two notes running) with
interventions linked to them, their times fit the CPT code, they are signed
within 72 hours and record risk. They are committed in one commit.

All is written to benchmarks/out/notes-N/ and the front matter copies to
benchmarks/out/notes-N-yaml/ (git-ignored), and reused when already made
with the same parameters. Reported: the files, txplan's time (one run of
`txplan lint --no-cache` over the folder) and yamllint's (the default config,
as benchmarks/caseload.py), the ratio and its budget, txplan with `--jobs 1`,
its peak memory, the findings by code with one message each (the corpus is
meant to be clean: a code here is the generator's fault or a rule's), and a
cProfile of one `--jobs 1` run (benchmarks/out/notes.prof), its top 25
functions by cumulative time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Peak RSS of the largest process, workers included (ru_maxrss of the children is a
# maximum); a tool found beside this Python first.
from caseload import peak_rss, tool

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
OUT = HERE / "out"
BUDGET = 0.15
GENERATOR = 2  # bump when the generated corpus changes, so it is made again
COHORTS = 5

FIRST = ["Alex", "Sam", "Jo", "Riley", "Casey", "Robin", "Taylor", "Jamie", "Quinn", "Avery"]
LAST = ["Example", "Sample", "Placeholder", "Fictional", "Testcase", "Demo", "Mock", "Specimen"]
# Each plan's objectives end with a sentence of its own from these (10 ** 4
# wordings): the examples' objectives copied into 1,000 plans would be
# X001's copies, which is not what this benchmark is about.
SETTINGS = [
    "at home",
    "at work",
    "in the car",
    "on the bus",
    "at the gym",
    "in the garden",
    "at the library",
    "on evening walks",
    "at a friend's house",
    "in the kitchen",
]
SUPPORTS = [
    "a partner",
    "a sibling",
    "a close friend",
    "a coworker",
    "a parent",
    "a neighbour",
    "a cousin",
    "a roommate",
    "a faith group",
    "a peer mentor",
]
TRACKERS = [
    "on paper",
    "in a phone app",
    "in a notebook",
    "on a wall chart",
    "in a spreadsheet",
    "on a pocket card",
    "on a calendar",
    "in a journal",
    "in voice memos",
    "on a tally sheet",
]
CHECKS = [
    "each session",
    "every other session",
    "on Mondays",
    "on Fridays",
    "at month end",
    "with the family",
    "by text",
    "at the start of sessions",
    "at the end of sessions",
    "at each review",
]
ADDED = [
    (
        "practise one new coping skill from session at least 3 times a week within 8 "
        "weeks, as recorded in a weekly log",
        "coping skills",
    ),
    (
        "name 2 early warning signs of relapse and one planned response to each within "
        "6 weeks, as written in a relapse-prevention plan",
        "relapse prevention",
    ),
    (
        "complete 2 of 3 agreed between-session tasks each week for 6 consecutive weeks, "
        "as checked at the start of each session",
        "between-session tasks",
    ),
]
PROGRESS = [
    "Practised on 5 of 7 days; reported less distress afterwards.",
    "Kept the record on most days; one setback after a hard week.",
    "Completed the home practice twice; named what got in the way.",
    "Steady progress; rated effort 7 of 10 and wants to continue.",
    "Missed two days of practice; set a phone reminder together.",
    "Used the skill in one hard moment and noticed it helped.",
    "The week's count is lower than at intake; reviewed the record.",
    "Little practice this week (illness); plan rehearsed in session.",
]
BODIES = [
    "**Data.** Reviewed the week's records and practised the skills in session.\n\n"
    "## Plan\nContinue the home practice; review the records next session.\n",
    "**Data.** Client arrived on time and engaged well; rehearsed the next steps.\n\n"
    "**Assessment.** Progress is steady.\n\n## Plan\nKeep the log daily.\n",
    "Session focused on the week's hardest moment and what helped.\n\n"
    "## Plan\nRepeat the exposure step twice before the next session.\n",
]
SAFE = "Denies suicidal ideation, intent or plan; safety plan reviewed."
NO_RISK = "Denies suicidal and homicidal ideation."
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_CLOSED_GOAL = {"met", "discontinued", "deferred", "not-met", "partially-met", "revised"}
_CLOSED_OBJECTIVE = {"met", "not-met", "revised", "discontinued"}


# --- the example plans, read once -------------------------------------------


@dataclass
class Template:
    text: str
    client_id: str
    name: str
    written: dt.date
    clinician: str
    credentials: str
    place: str
    format: str
    minor: bool
    safety: bool
    goals: list[str]
    # (objective, goal, status) in plan order; the interventions linked to each.
    objectives: list[tuple[str, str, str | None]]
    links: dict[str, list[str]]
    measures: dict[str, float]  # instrument: the first score
    targets: dict[str, float]  # instrument: the objective's target score


def templates() -> list[Template]:
    out = []
    for path in sorted(EXAMPLES.glob("*.plan.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        objectives: list[tuple[str, str, str | None]] = []
        links: dict[str, list[str]] = {}
        targets: dict[str, float] = {}
        for goal in data["goals"]:
            closed = goal.get("status") if goal.get("status") in _CLOSED_GOAL else None
            for objective in goal.get("objectives") or []:
                objectives.append((objective["id"], goal["id"], closed or objective.get("status")))
                measure = objective.get("measure") or {}
                if measure.get("instrument"):
                    targets[measure["instrument"]] = measure.get("target", 0)
        for intervention in data.get("interventions") or []:
            for objective in intervention.get("objectives") or []:
                links.setdefault(objective, []).append(intervention["id"])
        written = data["written"]
        out.append(
            Template(
                text=text,
                client_id=data["client"]["id"],
                name=data["client"]["name"],
                written=written,
                clinician=data["clinician"]["name"],
                credentials=data["clinician"]["credentials"],
                place=(data.get("session") or {}).get("place") or "office",
                format=(data.get("frequency") or {}).get("format") or "individual",
                minor=(written - data["client"]["dob"]).days < 18 * 365,
                safety=bool(data.get("safety_plan")),
                goals=[g["id"] for g in data["goals"]],
                objectives=objectives,
                links=links,
                measures={m["instrument"]: m["score"] for m in data.get("measures") or []},
                targets=targets,
            )
        )
    return out


# --- one plan, version by version -------------------------------------------


@dataclass
class Client:
    index: int
    client_id: str
    name: str
    template: Template
    dates: list[dt.date]  # the day each version took effect
    wording: tuple[int, int, int, int]  # setting, support, tracker, check
    # Per version: the active objectives in plan order, and each one's interventions.
    active: list[list[str]] = field(default_factory=list)
    links: list[dict[str, list[str]]] = field(default_factory=list)

    def first_objectives(self) -> list[str]:
        t = self.template
        return [o for o, g, _ in t.objectives if g == t.goals[0]]


def _own_words(client: Client, objective: str, version: int) -> list[str]:
    """The client's own sentence closing each objective, as two lines."""
    setting, support, tracker, check = client.wording
    if objective == "O1.1" and version >= 1:
        tracker = (tracker + 1) % len(TRACKERS)  # version 2 changed how O1.1 is tracked
    return [
        f"Practised mostly {SETTINGS[setting]}, with support from {SUPPORTS[support]};",
        f"progress tracked {TRACKERS[tracker]} and checked {CHECKS[check]}.",
    ]


def _shift(
    text: str, made: int, signed: int, target: Callable[[dt.date], dt.date], review_by: dt.date
) -> str:
    """The example's dates moved: what was made at the first session by
    `made` days, the signatures by `signed`, each target date to `target(it)`;
    `review_by` set; the date of birth kept."""

    def moved(days: int) -> Callable[[re.Match[str]], str]:
        return lambda m: (dt.date.fromisoformat(m[1]) + dt.timedelta(days=days)).isoformat()

    out, top = [], ""
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            top = line.split(":", 1)[0]
        if not _DATE.search(line) or "dob:" in line:
            out.append(line)
        elif top == "review_by":
            out.append(f"review_by: {review_by.isoformat()}\n")
        elif "target_date:" in line:
            out.append(_DATE.sub(lambda m: target(dt.date.fromisoformat(m[1])).isoformat(), line))
        elif top == "signatures":
            out.append(_DATE.sub(moved(signed), line))
        else:
            out.append(_DATE.sub(moved(made), line))
    return "".join(out)


def _reworded(text: str, client: Client, version: int) -> str:
    """Each objective's statement with the client's own sentence appended."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    objective = None
    i = 0
    while i < len(lines):
        line = lines[i]
        found = re.match(r"^      - id: (O[\d.]+)", line)
        if found:
            objective = found.group(1)
        out.append(line)
        i += 1
        if line.startswith("        statement: >-") and objective:
            while i < len(lines) and lines[i].startswith("          "):
                out.append(lines[i])
                i += 1
            out += [f"          {words}\n" for words in _own_words(client, objective, version)]
    return "".join(out)


def plan_text(client: Client, version: int) -> str:
    """The plan file of `client` as it stood at `version` (0 is the first)."""
    t = client.template
    day = client.dates[version]
    text = t.text.replace(t.client_id, client.client_id).replace(t.name, client.name)
    first = t.name.split()[0]
    text = re.sub(rf"\b{re.escape(first)}\b", client.name.split()[0], text)
    text = _reworded(text, client, version)
    made = (client.dates[0] - t.written).days
    signed = (day - t.written).days

    def target(when: dt.date) -> dt.date:
        if version == 0:
            return when + dt.timedelta(days=made)
        # A review sets the targets again: after today (none stale, R004) and
        # by the next review (S006), in the order the example had them.
        offset = (when - t.written).days  # 42 to 86 days in the examples
        return day + dt.timedelta(days=min(90, max(72, 72 + round((offset - 42) * 18 / 44))))

    text = _shift(text, made, signed, target, day + dt.timedelta(days=90))
    by = f"{t.clinician}, {t.credentials}"
    reviews, changes, added = [], [], []
    first_objectives = client.first_objectives()
    for k in range(1, version + 1):
        on = client.dates[k]
        ratings = "".join(
            f"\n      - {{goal: {g}, rating: {min(9, 3 + k + n % 2)}, note: Steady progress}}"
            for n, g in enumerate(t.goals)
        )
        reviews.append(
            f"  - date: {on}\n    by: {by}\n    summary: Reviewed with the client; the plan "
            f"continues with one change.\n    progress:{ratings}\n"
            f"    next_review: {on + dt.timedelta(days=90)}\n"
        )
        if k == 1:
            tracker = client.wording[2]
            was, now = TRACKERS[tracker], TRACKERS[(tracker + 1) % len(TRACKERS)]
            changes.append(
                f"  - {{date: {on}, what: O1.1 progress now tracked {now} (was {was}), "
                "why: The client found the old record hard to keep}\n"
            )
            continue
        new_id = f"O1.{len(first_objectives) + len(added) + 1}"
        statement, short = ADDED[(k - 2) % len(ADDED)]
        added.append(new_id)
        changes.append(
            f"  - {{date: {on}, what: Added {new_id} ({short}) under {t.goals[0]}, "
            "why: Agreed with the client at the review}\n"
        )
        wrapped = textwrap.wrap(f"Client will {statement}.", 68)
        wrapped += _own_words(client, new_id, version)
        objective = (
            f"      - id: {new_id}\n        statement: >-\n"
            + "".join(f"          {line}\n" for line in wrapped)
            + f"        target_date: {on + dt.timedelta(days=84)}\n        status: in-progress\n"
        )
        text = _insert_objective(text, t.goals[0], objective)
    if reviews:
        text = text.replace("\nreviews: []\n", "\nreviews:\n" + "".join(reviews), 1)
        text = text.replace("\nchanges: []\n", "\nchanges:\n" + "".join(changes), 1)
    if added:
        text = _link(text, first_objectives[0], added)
    return text


def _insert_objective(text: str, goal: str, block: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip() == f"  - id: {goal}")
    end = next(
        i
        for i in range(start + 1, len(lines))
        if lines[i].startswith("  - id: ") or lines[i][:1].isalpha()
    )
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "".join([*lines[:end], block, *lines[end:]])


def _link(text: str, objective: str, added: list[str]) -> str:
    """The first intervention serving `objective` serves the added objectives too."""
    head, sep, tail = text.partition("\ninterventions:\n")
    pattern = re.compile(rf"^(    objectives: \[[^\]]*\b{re.escape(objective)}\b[^\]]*)\]", re.M)
    more = "".join(f", {a}" for a in added)
    return head + sep + pattern.sub(lambda m: m[1] + more + "]", tail, count=1)


def _versions_of(client: Client, versions: int) -> None:
    """What each version holds for the notes: active objectives and links."""
    t = client.template
    first_objectives = client.first_objectives()
    served_by = t.links.get(first_objectives[0], [])[:1]
    active = [o for o, _, s in t.objectives if s not in _CLOSED_OBJECTIVE]
    links = {o: list(t.links.get(o, [])) for o in active}
    for version in range(versions):
        if version >= 2:
            new_id = f"O1.{len(first_objectives) + version - 1}"
            at = max(i for i, o in enumerate(active) if o.startswith("O1.")) + 1
            active.insert(at, new_id)
            links[new_id] = list(served_by)
        client.active.append(list(active))
        client.links.append({o: list(ls) for o, ls in links.items()})


# --- the notes ----------------------------------------------------------------


def note_dates(client: Client, count: int, today: dt.date, rng: random.Random) -> list[dt.date]:
    first = client.dates[0] + dt.timedelta(days=7)
    span = (today - dt.timedelta(days=1) - first).days
    if span < count:
        raise SystemExit(f"{count} notes a plan do not fit in the {span} days before {today}")
    step = span // count
    out: list[dt.date] = []
    for n in range(count):
        day = first + dt.timedelta(days=n * span // count + rng.randint(0, max(0, step - 1)))
        if out and day <= out[-1]:
            day = out[-1] + dt.timedelta(days=1)
        out.append(day)
    return out


def note_text(
    client: Client, n: int, day: dt.date, today: dt.date, rng: random.Random
) -> tuple[str, str]:
    """The client's `n`th note (Markdown) and its front matter (YAML)."""
    t = client.template
    version = max(k for k, d in enumerate(client.dates) if d <= day)
    active, links = client.active[version], client.links[version]
    cite = math.ceil(len(active) / 2)
    chosen = {active[(n * cite + k) % len(active)] for k in range(cite)}
    if t.format == "family":
        cpt, ran = "90847", rng.randint(50, 58)
    elif rng.random() < 0.7:
        cpt, ran = "90837", rng.randint(53, 58)
    else:
        cpt, ran = "90834", rng.randint(38, 52)
    start = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice([0, 0, 0, 10, 30])))
    end = start + dt.timedelta(minutes=ran)
    signed = min(today, day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2])))
    lines = [
        "---",
        "txplan_note: 1",
        f"client: {client.client_id}",
        f"date: {day}",
        f'start: "{start:%H:%M}"',
        f'end: "{end:%H:%M}"',
        f'cpt: "{cpt}"',
        f"place: {t.place}",
    ]
    if t.place == "telehealth":
        lines.append("method: video")
    lines.append(f"participants: [client{', parent' if t.minor else ''}]")
    lines.append("objectives:")
    for objective in (o for o in active if o in chosen):
        linked = links.get(objective, [])
        picked = set(rng.sample(linked, rng.randint(1, len(linked)))) if linked else set()
        lines += [
            f"  - id: {objective}",
            f"    interventions: [{', '.join(i for i in linked if i in picked)}]",
            f"    progress: {rng.choice(PROGRESS)}",
        ]
    if t.measures and n % 2 == 0:
        lines.append("scores:")
        done = (day - client.dates[0]).days / max(1, (today - client.dates[0]).days)
        for instrument, first in t.measures.items():
            goal = t.targets.get(instrument, first / 2)
            score = max(0, round(first - (first - goal) * done) + rng.randint(-2, 2))
            lines.append(f"  - {{instrument: {instrument}, score: {score}}}")
    lines.append(f"risk: {SAFE if t.safety else NO_RISK}")
    lines.append(f"signed: {{by: {t.clinician}, credentials: {t.credentials}, date: {signed}}}")
    front = "\n".join(lines) + "\n"
    return front + "---\n" + rng.choice(BODIES), front


# --- generating the folder ----------------------------------------------------


def _git(repo: Path, *args: str, when: dt.date | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if when is not None:
        stamp = f"{when.isoformat()}T17:00:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def generate(
    plans: int, per_plan: int, versions: int, today: dt.date, seed: int = 14
) -> tuple[Path, Path, list[Path], list[Path]]:
    """The repository (plans and notes), the front matter copies, and the
    files yamllint reads: the plans and the copies."""
    out = OUT / f"notes-{plans}"
    copies = OUT / f"notes-{plans}-yaml"
    stamp = OUT / f"notes-{plans}.params.json"
    params = {
        "generator": GENERATOR,
        "plans": plans,
        "notes_per_plan": per_plan,
        "versions": versions,
        "today": today.isoformat(),
        "seed": seed,
    }
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == params:
        plan_files = sorted(out.glob("*.plan.yaml"))
        copy_files = sorted(copies.glob("*/*.yaml"))
        if len(plan_files) == plans and len(copy_files) == plans * per_plan:
            print(f"reusing {out.relative_to(HERE.parent)} (made with the same parameters)")
            return out, copies, plan_files, copy_files
    began = time.perf_counter()
    stamp.unlink(missing_ok=True)
    for folder in (out, copies):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    rng = random.Random(seed)
    sources = templates()
    last = today - dt.timedelta(days=70)
    last -= dt.timedelta(days=last.weekday())  # a Monday
    base = [last - dt.timedelta(days=84 * (versions - 1 - k)) for k in range(versions)]
    clients = []
    for i in range(plans):
        client = Client(
            index=i,
            client_id=f"C-{10000 + i}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            template=sources[i % len(sources)],
            dates=[d + dt.timedelta(days=i % COHORTS) for d in base],
            wording=(i % 10, i // 10 % 10, i // 100 % 10, i // 1000 % 10),
        )
        _versions_of(client, versions)
        clients.append(client)

    _git(out, "init", "-q", "-b", "main")
    _git(out, "config", "user.name", "txplan benchmark")
    _git(out, "config", "user.email", "benchmark@example.invalid")
    _git(out, "config", "commit.gpgsign", "false")
    shutil.copy(EXAMPLES / "txplan.toml", out / "txplan.toml")
    extra = ["txplan.toml"]
    for version in range(versions):
        for cohort in range(COHORTS):
            members = [c for c in clients if c.index % COHORTS == cohort]
            if not members:
                continue
            names = []
            for client in members:
                name = f"{client.client_id}.plan.yaml"
                (out / name).write_text(plan_text(client, version), encoding="utf-8")
                names.append(name)
            _git(out, "add", "--", *names, *extra)
            extra = []
            what = "Plans written" if version == 0 else f"Plans reviewed (version {version + 1})"
            when = members[0].dates[version]
            _git(out, "commit", "-q", "-m", f"{what}, cohort {cohort + 1}", when=when)
    count = 0
    for client in clients:
        folder = out / "notes" / client.client_id
        copy_folder = copies / client.client_id
        folder.mkdir(parents=True)
        copy_folder.mkdir()
        for n, day in enumerate(note_dates(client, per_plan, today, rng)):
            note, front = note_text(client, n, day, today, rng)
            (folder / f"{day}.note.md").write_text(note, encoding="utf-8")
            (copy_folder / f"{day}.note.yaml").write_text(front, encoding="utf-8")
            count += 1
    _git(out, "add", "--", "notes")
    _git(out, "commit", "-q", "-m", "Session notes", when=today - dt.timedelta(days=1))
    stamp.write_text(json.dumps(params), encoding="utf-8")
    print(
        f"generated {out.relative_to(HERE.parent)}: {plans} plans x {versions} versions "
        f"({versions * COHORTS + 1} commits), {count} notes, in {time.perf_counter() - began:.1f} s"
    )
    return out, copies, sorted(out.glob("*.plan.yaml")), sorted(copies.glob("*/*.yaml"))


# --- measuring ------------------------------------------------------------------


def timed(cmd: list[str], stdout: Path | None = None) -> tuple[float, int]:
    """Seconds and exit code of the command; its output to `stdout`, else dropped."""
    with open(stdout or os.devnull, "wb") as sink:
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=sink, stderr=subprocess.DEVNULL, check=False)
        return time.perf_counter() - start, done.returncode


def median_time(cmd: list[str], runs: int, stdout: Path | None = None) -> tuple[float, int]:
    results = [timed(cmd, stdout) for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[-1][1]


def _line(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<40}{seconds:9.3f} s  {note}")


def _verdict(ratio: float, budget: float) -> str:
    return f"ratio {ratio:.3f} (budget {budget}){' ok' if ratio <= budget else ' OVER'}"


def findings_report(report: Path, repo: Path) -> None:
    try:
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    except ValueError:
        print(f"findings: txplan's report {report} is not JSON")
        return
    found = data.get("findings", [])
    by_code = Counter(f["code"] for f in found)
    files = len({f["file"] for f in found})
    print(
        f"findings: {len(found)} in {files} of the {data.get('files')} files txplan read "
        f"(its report: {report.relative_to(HERE.parent)})"
    )
    for code, count in sorted(by_code.items()):
        first = next(f for f in found if f["code"] == code)
        where = (
            os.path.relpath(first["file"], repo) if os.path.isabs(first["file"]) else first["file"]
        )
        print(f"  {code} {first['name']} ({first['severity']}): {count}")
        print(f"      e.g. {where}:{first.get('line')}: {first['message']}")


def profile(args: list[str], path: Path, top: int = 25, own: int = 15) -> float:
    """cProfile one run of `txplan ARGS` into `path`; print its top functions
    by cumulative time, then by their own time."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(path), "-m", "txplan", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    seconds = time.perf_counter() - start
    stats: Any = pstats.Stats(str(path))
    stats.strip_dirs()
    for order, count in (("cumulative", top), ("tottime", own)):
        stats.sort_stats(order)
        shown = stats.fcn_list[:count]
        width = min(70, max(len(pstats.func_std_string(f)) for f in shown))
        print(f"  top {count} by {order}:")
        print(f"  {'function':<{width}}  {'calls':>9}  {'tottime':>8}  {'cumtime':>8}")
        for func in shown:
            _, calls, tottime, cumtime, _ = stats.stats[func]
            name = pstats.func_std_string(func)
            print(f"  {name[-width:]:<{width}}  {calls:>9}  {tottime:8.3f}  {cumtime:8.3f}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--notes-per-plan", type=int, default=20)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--today", default="2026-12-01", help="passed to txplan lint --today")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--txplan", default=tool("txplan"))
    parser.add_argument("--yamllint", default=tool("yamllint"))
    args = parser.parse_args()
    today = dt.date.fromisoformat(args.today)
    if min(args.plans, args.notes_per_plan, args.versions, args.runs) < 1:
        parser.error("--plans, --notes-per-plan, --versions and --runs are at least 1")

    repo, copies, plan_files, copy_files = generate(
        args.plans, args.notes_per_plan, args.versions, today
    )
    notes = args.plans * args.notes_per_plan
    total = len(plan_files) + notes
    lint_args = ["lint", str(repo), "--no-cache", "--format", "json", "--today", args.today]
    lint = [args.txplan, *lint_args]
    yamllint = [args.yamllint, "-f", "parsable", *map(str, plan_files), str(copies)]

    print(
        f"median of {args.runs} run(s); {args.plans} plans x {args.versions} versions in git, "
        f"{args.notes_per_plan} notes a plan; {os.cpu_count()} cores; --today {args.today}"
    )
    print(
        f"  files: {len(plan_files)} plans + {notes} notes = {total} "
        f"(yamllint: {len(plan_files)} plans + {len(copy_files)} front matter copies)"
    )
    report = OUT / f"notes-{args.plans}.lint.json"
    tx, code = median_time(lint, args.runs, stdout=report)
    serial, _ = median_time([*lint, "--jobs", "1"], args.runs)
    yl, yl_code = median_time(yamllint, args.runs)
    _line("yamllint -f parsable (default config)", yl, f"exit {yl_code}")
    _line("txplan lint --no-cache", tx, f"exit {code}; {_verdict(tx / yl, BUDGET)}")
    _line("txplan lint --no-cache --jobs 1", serial, f"ratio {serial / yl:.3f}")
    yl_files = len(plan_files) + len(copy_files)
    print(
        f"  per file: txplan {tx / total * 1000:.2f} ms (--jobs 1: {serial / total * 1000:.2f} ms), "
        f"yamllint {yl / yl_files * 1000:.2f} ms"
    )
    mem, mem_serial = peak_rss(lint), peak_rss([*lint, "--jobs", "1"])
    print(
        f"  txplan peak memory (largest process): {mem / 1024:.1f} MiB; "
        f"--jobs 1: {mem_serial / 1024:.1f} MiB"
    )
    if code not in (0, 1):
        print(f"  txplan exited {code}: some files were not judged")
    findings_report(report, repo)

    if not args.no_profile:
        prof = OUT / "notes.prof"
        print(
            f"profile: `txplan {' '.join(lint_args[:2])} ... --jobs 1` under cProfile "
            f"({prof.relative_to(HERE.parent)})"
        )
        seconds = profile([*lint_args, "--jobs", "1"], prof)
        print(f"  (the profiled run took {seconds:.1f} s)")


if __name__ == "__main__":
    main()
