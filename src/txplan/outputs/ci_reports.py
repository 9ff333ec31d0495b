"""Reports for CI servers: GitLab Code Quality and JUnit XML.

Both leave the machine (a merge request page, a test dashboard), so they
carry each message as SARIF and GitHub output do: with the values that
identify a person withheld (`reporters.leaving_message`).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import PurePath

from txplan.findings import Finding, Severity, format_path
from txplan.outputs.reporters import fingerprints, leaving_message

# GitLab's scale is info < minor < major < critical < blocker. An error fails
# the job (exit 1) and a warning does not, so they sit one step apart at
# major and minor; critical and blocker stay unused because a plan that
# fails an audit is a record to correct, not the outage or breach GitLab's
# top levels are kept for, and ruff likewise reports its findings as major.
# A note (info) is GitLab's info.
CODE_QUALITY_SEVERITY = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFO: "info",
}


def report_path(file: str) -> str:
    """The file as GitLab names it: relative to the project, with forward
    slashes. An absolute path inside the project (CI_PROJECT_DIR, set by
    GitLab Runner) is made relative, so the merge request can link to it."""
    path = PurePath(file)
    project = os.environ.get("CI_PROJECT_DIR")
    if path.is_absolute() and project and path.is_relative_to(project):
        path = path.relative_to(project)
    posix = path.as_posix()
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def _as_reported(findings: list[Finding]) -> list[Finding]:
    # Fingerprints are taken over the reported path, so a run from another
    # folder, or with absolute paths, matches the findings of the last one.
    return [replace(f, file=report_path(f.file)) for f in findings]


def as_gitlab(findings: list[Finding]) -> str:
    """A GitLab Code Quality report: the subset of the Code Climate issue
    format GitLab reads (description, check_name, fingerprint, severity,
    location.path, location.lines.begin), as a JSON array."""
    import json

    reported = _as_reported(findings)
    issues = []
    for f, print_ in zip(reported, fingerprints(reported), strict=True):
        begin = max(f.span.line, 1)
        issues.append(
            {
                # GitLab's widget shows the description, not check_name: the
                # code leads it so a reader knows which rule to look up.
                "description": f"{f.code} {f.name}: {leaving_message(f)}",
                "check_name": f.code,
                "fingerprint": print_,
                "severity": CODE_QUALITY_SEVERITY[f.severity],
                # Code Climate allows `lines` or `positions`, not both; GitLab
                # shows only the line, so the columns are left to SARIF.
                "location": {
                    "path": f.file,
                    "lines": {"begin": begin, "end": max(f.span.end_line, begin)},
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False)


# --- JUnit XML ------------------------------------------------------------------

# Characters XML 1.0 cannot hold at all, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text as a report may show it: control and invisible characters spelled
    out (as on a terminal), and nothing XML 1.0 forbids."""
    from txplan.outputs.terminal import clean_lines

    return _NOT_XML.sub(lambda m: f"\\u{ord(m[0]):04x}", clean_lines(text))


def _case_name(f: Finding) -> str:
    where = format_path(f.path)
    at = f" at {where}" if where else ""
    return f"{f.code} {f.name}{at}, line {f.span.line}:{f.span.column}"


def _testcase(suite: ET.Element, file: str, name: str) -> ET.Element:
    # GitLab shows classname as the suite (it ignores testsuite/@name), so it
    # carries the file.
    return ET.SubElement(
        suite, "testcase", classname=_xml_text(file), name=name, file=_xml_text(file), time="0"
    )


def _add_finding(suite: ET.Element, file: str, f: Finding, seen: Counter[str]) -> bool:
    """One testcase for `f`; True if it fails."""
    name = _xml_text(_case_name(f))
    # GitLab keys a testcase by classname and name and keeps only the first
    # of a pair, so a second finding alike in both is numbered.
    seen[name] += 1
    case = _testcase(suite, file, name if seen[name] == 1 else f"{name} ({seen[name]})")
    case.set("line", str(f.span.line))
    message = _xml_text(leaving_message(f))
    body = (
        f"{_xml_text(file)}:{f.span.line}:{f.span.column}: {f.code} {f.name}\n"
        f"{message}\n(`txplan rule {f.code}` explains the rule.)"
    )
    if f.severity is Severity.INFO:
        ET.SubElement(case, "system-out").text = body
        return False
    failure = ET.SubElement(case, "failure", message=message, type=f.severity.value)
    failure.text = body
    return True


def as_junit(findings: list[Finding], checked: list[str]) -> str:
    """JUnit XML: a testsuite per file, a testcase per finding, failing for
    an error or a warning; a file with nothing to report is one passing
    testcase, so the dashboard counts every plan checked."""
    by_file: dict[str, list[Finding]] = {report_path(name): [] for name in checked}
    for f in _as_reported(findings):
        by_file.setdefault(f.file, []).append(f)
    root = ET.Element("testsuites", name="txplan lint")
    all_tests = all_failures = 0
    for file in sorted(by_file):
        suite = ET.SubElement(root, "testsuite", name=_xml_text(file))
        here = by_file[file]
        seen: Counter[str] = Counter()
        failures = sum(_add_finding(suite, file, f, seen) for f in here)
        if not here:
            _testcase(suite, file, "no problems found")
        tests = max(len(here), 1)
        for key, value in (("tests", tests), ("failures", failures), ("errors", 0)):
            suite.set(key, str(value))
        suite.set("skipped", "0")
        suite.set("time", "0")
        all_tests += tests
        all_failures += failures
    for key, value in (("tests", all_tests), ("failures", all_failures), ("errors", 0)):
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
