"""Print lint results: `text` for people, `json` for machines (cli.md)."""

from __future__ import annotations

from typing import TextIO

from txplan.findings import Finding, Severity

JSON_VERSION = 1

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def as_json(findings: list[Finding], files: int) -> str:
    import json

    return json.dumps(
        {
            "version": JSON_VERSION,
            "files": files,
            "findings": [f.to_json() for f in findings],
            "summary": counts(findings),
        },
        indent=2,
        ensure_ascii=False,
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(findings: list[Finding], files: int) -> str:
    c = counts(findings)
    if not findings:
        return f"{_plural(files, 'plan')} checked: no problems found."
    parts = [_plural(c["error"], "error"), _plural(c["warning"], "warning")]
    if c["info"]:
        parts.append(_plural(c["info"], "note"))
    with_findings = len({f.file for f in findings})
    return f"{', '.join(parts)} in {with_findings} of {_plural(files, 'plan')}."


def write_text(
    findings: list[Finding], files: int, out: TextIO, *, color: bool, quiet: bool
) -> None:
    if color:
        _write_rich(findings, files, out, quiet=quiet)
        return
    for f in findings:
        out.write(f"{f.file}:{f.span.line}:{f.span.column}: {f.code} {f.name}  {f.message}\n")
    if not quiet:
        out.write(summary_line(findings, files) + "\n")


def _write_rich(findings: list[Finding], files: int, out: TextIO, *, quiet: bool) -> None:
    from rich.console import Console
    from rich.text import Text

    # Only called for a terminal (cli._use_color), so color is wanted here.
    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=True)
    for f in findings:
        line = Text()
        line.append(f"{f.file}:{f.span.line}:{f.span.column}:", style="bold")
        line.append(" ")
        line.append(f"{f.code} {f.name}", style=_STYLE[f.severity])
        line.append(f"  {f.message}")
        console.print(line)
    if not quiet:
        style = (
            "bold red" if counts(findings)["error"] else "bold green" if not findings else "yellow"
        )
        console.print(Text(summary_line(findings, files), style=style))
