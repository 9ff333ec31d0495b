"""`txplan rule`: the rule list and one rule's page, from its docstring."""

from __future__ import annotations

from collections.abc import Iterable

from txplan.rules import Rule

FAMILIES = {
    "F": "the file",
    "E": "the seven required elements",
    "D": "diagnosis (ICD-10-CM)",
    "P": "problem statements",
    "S": "SMART objectives",
    "L": "links (the golden thread)",
    "R": "review cycle",
    "C": "documentation and compliance",
    "X": "across plans and history",
    "N": "session notes (checked against the plan in force)",
}


def listing(rules: Iterable[Rule]) -> str:
    lines = []
    family = ""
    for entry in rules:
        if entry.code[0] != family:
            family = entry.code[0]
            lines.append(f"\n{family}: {FAMILIES.get(family, '')}")
        lines.append(f"  {entry.code}  {entry.name:<32} {entry.severity.value:<8} {entry.summary}")
    lines.append("\n`txplan rule CODE` explains one rule.")
    return "\n".join(lines).lstrip("\n") + "\n"


def _indent(block: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in block.splitlines())


def explain(entry: Rule) -> str:
    parts = entry.sections()
    out = [f"{entry.code} {entry.name} ({entry.severity.value})", "", parts["summary"]]
    if parts.get("body"):
        out += ["", parts["body"]]
    if parts.get("why"):
        out += ["", "Why it matters:", parts["why"]]
    if parts.get("fails"):
        out += ["", "Example that fails:", "", _indent(parts["fails"])]
    if parts.get("passes"):
        out += ["", "Use instead:", "", _indent(parts["passes"])]
    return "\n".join(out) + "\n"
