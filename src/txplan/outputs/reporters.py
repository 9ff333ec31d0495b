"""Print lint results: `text` for people, `json` for machines (cli.md)."""

from __future__ import annotations

import re
from typing import TextIO

from txplan.findings import Finding, Severity, format_path

JSON_VERSION = 1

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def counts(findings: list[Finding]) -> dict[str, int]:
    # By the members (each is its text): `.value`, asked of every finding of a
    # caseload, costs more than the count.
    tally = dict.fromkeys(Severity, 0)
    for f in findings:
        tally[f.severity] += 1
    return {s.value: n for s, n in tally.items()}


def as_json(findings: list[Finding], files: int) -> str:
    """The report as `json.dumps(..., indent=2, ensure_ascii=False)` writes it."""
    import io

    out = io.StringIO()
    write_json(findings, files, out)
    return out.getvalue()


def write_json(findings: list[Finding], files: int, out: TextIO) -> None:
    """as_json's report, written to `out` a finding at a time: for a caseload
    of thousands the whole text, built first, was the run's largest object.

    Written here rather than by json.dumps: with an indent, json falls back
    to its pure-Python encoder, which took half of a warm 10,000-plan lint.
    Each finding is a flat object of text and numbers, so only the strings
    need encoding, and json's C encoder does that."""
    from json.encoder import encode_basestring as string  # C, as dumps uses it

    from txplan.outputs import jsontext

    # A caseload's findings repeat their files, paths and (copies') messages:
    # each encoded once.
    encoded: dict[str, str] = {}
    paths: dict[tuple[str | int, ...], str] = {}

    def text(item: str) -> str:
        known = encoded.get(item)
        if known is None:
            known = encoded[item] = string(item)
        return known

    def path_of(path: tuple[str | int, ...]) -> str:
        known = paths.get(path)
        if known is None:
            known = paths[path] = string(format_path(path))
        return known

    out.write(f'{{\n  "version": {JSON_VERSION},\n  "files": {files},\n  "findings": ')
    if findings:
        out.write("[\n")
        for i, f in enumerate(findings):
            # Finding.to_json's keys, in its order, written out: a caseload's
            # tens of thousands of findings each built a dict only to be read
            # once (a property test holds the two equal).
            span, opening = f.span, ("    {" if i == 0 else ",\n    {")
            out.write(
                f'{opening}\n      "file": {text(f.file)},\n'
                f'      "line": {span.line:d},\n      "column": {span.column:d},\n'
                f'      "end_line": {span.end_line:d},\n      "end_column": {span.end_column:d},\n'
                f'      "code": {string(f.code)},\n      "name": {string(f.name)},\n'
                f'      "severity": {text(f.severity)},\n'
                f'      "message": {text(f.message)},\n'
                f'      "path": {path_of(f.path)}\n    }}'
            )
        out.write("\n  ]")
    else:
        out.write("[]")
    out.write(f',\n  "summary": {jsontext.dumps(counts(findings), at="  ")}\n}}')


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# A file lint passed over (F008) is not one of the plans it checked.
UNREAD = "F008"


def summary_line(findings: list[Finding], files: int, not_read: int = 0, noun: str = "plan") -> str:
    """The last line of a text report; `not_read` plans could not be read,
    and a run that skipped one never says "no problems found". `noun` names
    what was checked: "plan", or "file" when session notes were checked too."""
    c = counts(findings)
    if not_read:
        line = summary_line(findings, files, noun=noun).removesuffix(".")
        if not findings:
            line = f"{_plural(files, noun)} checked, none with problems"
        return f"{line}; {_plural(not_read, 'file')} could not be read."
    if not findings:
        return f"{_plural(files, noun)} checked: no problems found."
    parts = [_plural(c["error"], "error"), _plural(c["warning"], "warning")]
    if c["info"]:
        parts.append(_plural(c["info"], "note"))
    with_findings = len({f.file for f in findings if f.code != UNREAD})
    unread = len({f.file for f in findings if f.code == UNREAD})
    tail = f"; {_plural(unread, 'file')} not read ({UNREAD})" if unread else ""
    if not with_findings:
        return f"{', '.join(parts)}: {_plural(files, noun)} checked, none with problems{tail}."
    return f"{', '.join(parts)} in {with_findings} of {_plural(files, noun)}{tail}."


def write_text(
    findings: list[Finding],
    files: int,
    out: TextIO,
    *,
    color: bool,
    quiet: bool,
    not_read: int = 0,
    noun: str = "plan",
) -> None:
    if color:
        _write_rich(findings, files, out, quiet=quiet, not_read=not_read, noun=noun)
        return
    from txplan.outputs.terminal import clean

    for f in findings:
        where = f"{clean(f.file)}:{f.span.line}:{f.span.column}"
        out.write(f"{where}: {f.code} {f.name}  {clean(f.message)}\n")
    if not quiet:
        out.write(summary_line(findings, files, not_read, noun) + "\n")


def _write_rich(
    findings: list[Finding],
    files: int,
    out: TextIO,
    *,
    quiet: bool,
    not_read: int = 0,
    noun: str = "plan",
) -> None:
    from rich.console import Console
    from rich.text import Text

    from txplan.outputs.terminal import clean

    # Only called for a terminal (cli._use_color), so color is wanted here.
    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=True)
    for f in findings:
        line = Text()
        line.append(f"{clean(f.file)}:{f.span.line}:{f.span.column}:", style="bold")
        line.append(" ")
        line.append(f"{f.code} {f.name}", style=_STYLE[f.severity])
        line.append(f"  {clean(f.message)}")
        console.print(line)
    if not quiet:
        style = (
            "bold red"
            if counts(findings)["error"] or not_read
            else "bold green"
            if not findings
            else "yellow"
        )
        console.print(Text(summary_line(findings, files, not_read, noun), style=style))


# --- SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps) -------------

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    from pathlib import PurePath
    from urllib.parse import quote

    return quote(PurePath(path).as_posix())


def _key(f: Finding) -> str:
    from txplan.findings import format_path

    return f"{f.code}|{f.file}|{format_path(f.path)}|{f.message if not f.path else ''}"


def _digest(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprint(f: Finding) -> str:
    """Stable across runs and line moves: the rule, the file and the YAML path."""
    return _digest(_key(f))


def fingerprints(findings: list[Finding]) -> list[str]:
    """One fingerprint per finding, no two alike: findings that share rule, file
    and path (C009's placeholders in one statement) are told apart by their
    message, then by their order; a finding alone at its path keeps its own."""
    from collections import Counter

    shared = Counter(_key(f) for f in findings)
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        key = _key(f)
        if shared[key] > 1:
            key += f"|{f.message}"
            seen[key] += 1
            if seen[key] > 1:
                key += f"|{seen[key]}"
        out.append(_digest(key))
    return out


# --- what leaves the machine ---------------------------------------------------

# Fields whose values identify the client (HHS Safe Harbor: names, dates of
# birth, member numbers) or another person in the plan.
_IDENTIFYING = (
    ("client", "id"),
    ("client", "name"),
    ("client", "dob"),
    ("client", "member_id"),
    ("guardian",),
    ("signatures", "client"),
    ("signatures", "guardian"),
    ("safety_plan", "supports"),
    ("safety_plan", "crisis_contacts"),
)
_QUOTED = re.compile(r"`([^`]*)`")
_DATE = re.compile(r"(?<!e\.g\. )\b\d{4}-\d{2}-\d{2}\b")
# a year on its own ("2062: did you mean 2026?") is part of a birth date too
_YEAR = re.compile(r"(?<![\w.-])\d{4}(?![\w-])")
WITHHELD = "[withheld]"


def leaving_message(f: Finding) -> str:
    """The message as SARIF and GitHub output carry it off the machine: on a
    field that identifies a person, the values it quotes and the dates it
    names are withheld; the advice and the field's own path stay."""
    if not any(f.path[: len(prefix)] == prefix for prefix in _IDENTIFYING):
        return f.message
    from txplan.findings import format_path

    own = format_path(f.path)

    def quoted(match: re.Match[str]) -> str:
        inner = match[1]
        kept = inner == own or inner.startswith(("client.", "txplan ", "signatures.", "guardian"))
        return match[0] if kept else f"`{WITHHELD}`"

    return _YEAR.sub(WITHHELD, _DATE.sub(WITHHELD, _QUOTED.sub(quoted, f.message)))


def as_sarif(findings: list[Finding]) -> str:
    import json

    from txplan import __version__
    from txplan.findings import format_path
    from txplan.rules import REGISTRY

    rules = list(REGISTRY.values())
    index = {r.code: i for i, r in enumerate(rules)}
    driver = {
        "name": "txplan",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.sections().get("body") or r.summary},
                "help": {"text": r.sections().get("why", r.summary)},
                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            }
            for r in rules
        ],
    }
    results = []
    for f, print_ in zip(findings, fingerprints(findings), strict=True):
        result: dict[str, object] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": leaving_message(f)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.file)},
                        "region": {
                            "startLine": f.span.line,
                            "startColumn": f.span.column,
                            "endLine": max(f.span.end_line, f.span.line),
                            "endColumn": max(f.span.end_column, 1),
                        },
                    },
                    **(
                        {"logicalLocations": [{"fullyQualifiedName": format_path(f.path)}]}
                        if f.path
                        else {}
                    ),
                }
            ],
            "partialFingerprints": {"txplanFinding/v1": print_},
        }
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


# --- GitHub Actions workflow commands -----------------------------------------------

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding]) -> str:
    """One annotation per finding, grouped per file in the log."""
    lines: list[str] = []
    current = None
    for f in findings:
        if f.file != current:
            if current is not None:
                lines.append("::endgroup::")
            lines.append(f"::group::{_escape_data(f.file)}")
            current = f.file
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", f.file),
                ("line", f.span.line),
                ("col", f.span.column),
                ("endLine", max(f.span.end_line, f.span.line)),
                ("endColumn", f.span.end_column),
                ("title", f"{f.code} {f.name}"),
            )
        )
        message = _escape_data(leaving_message(f))
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{message}")
    if current is not None:
        lines.append("::endgroup::")
    return "\n".join(lines) + ("\n" if lines else "")


def statistics(findings: list[Finding]) -> str:
    """Counts per rule, most frequent first (like `ruff --statistics`)."""
    from collections import Counter

    counts = Counter((f.code, f.name, f.severity.value) for f in findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return "".join(f"{n:>5}  {code}  {name:<32} {sev}\n" for (code, name, sev), n in rows)
