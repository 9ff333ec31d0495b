"""`txplan render`: HTML and Markdown documents, de-identification, and the
HTML checked in a real browser (headless Chromium)."""

from __future__ import annotations

import datetime as dt
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chromium import CHROMIUM, Browser
from conftest import ROOT, example_text
from txplan.cli import app
from txplan.config import Config
from txplan.outputs.render import render
from txplan.plan.loader import load_bytes
from txplan.plan.validate import validate

runner = CliRunner()
TODAY = dt.date(2026, 11, 22)
CLEAN = sorted(ROOT.glob("examples/*.plan.yaml"))
ALL = [*CLEAN, ROOT / "tests" / "data" / "plan-format-example.plan.yaml"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="make test installs chromium")


def _plan(path: Path):  # type: ignore[no-untyped-def]
    loaded = load_bytes(path.read_bytes())
    plan = validate(loaded.data, loaded.positions).plan
    assert plan is not None
    return plan


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_html_is_self_contained(path: Path) -> None:
    page = render(_plan(path), Config(), TODAY, "html")
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert not [a for a in parser.attrs if a[0] in ("src", "href")]
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"] * page.count(
        "<svg"
    )
    for heading in (
        "Diagnoses",
        "Assessment",
        "Problems",
        "Goals, objectives and interventions",
        "Frequency and duration",
        "Signatures",
    ):
        assert f"<h2>{heading}</h2>" in page


def test_html_has_charts_ratings_and_blank_signature_lines() -> None:
    text = (
        example_text()
        .replace(
            "reviews: []",
            (
                "reviews:\n  - {date: 2026-04-06, by: Susan, summary: Met O1.3., "
                "progress: [{goal: G1, rating: 6, note: GAD-7 now 10}], next_review: 2026-07-05}"
            ),
        )
        .replace("  client: {name: Jordan Avery, date: 2026-01-12, method: electronic}\n", "")
    )
    loaded = load_bytes(text.encode())
    plan = validate(loaded.data, loaded.positions).plan
    page = render(plan, Config(), TODAY, "html")
    assert page.count("<svg") == 2  # GAD-7 and PHQ-9
    assert "O1.1 target 9" in page and "GAD-7 now 10" in page
    assert "Client: __________________________" in page


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_markdown_reads_as_tables(path: Path) -> None:
    text = render(_plan(path), Config(), TODAY, "md")
    assert text.startswith(f"# Treatment plan {_plan(path).client.id}\n")
    assert (
        "| Code | Diagnosis | Role |" in text
        and "| Objective | Measure | Target date | Interventions |" in text
    )
    assert "{{" not in text and "<script" not in text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_redacted_copies_hold_no_identifier(path: Path, fmt: str) -> None:
    plan = _plan(path)
    secrets = [
        plan.client.name,
        plan.client.member_id,
        plan.clinician.npi if plan.clinician else None,
        plan.client.dob.isoformat() if plan.client.dob else None,
        plan.clinician.name if plan.clinician else None,
    ]
    sig = plan.signatures
    if sig:
        secrets += [s.name for s in (sig.client, sig.guardian, sig.clinician, sig.supervisor) if s]
    names = [s for s in secrets if s]
    parts = [p for n in names for p in re.split(r"[\s,]+", n) if len(p) >= 3 and not p.isdigit()]
    page = render(plan, Config(), TODAY, fmt, redact=True)
    for secret in [*names, *parts]:
        assert secret.lower() not in page.lower(), secret
    assert plan.client.id in page and "[CLIENT]" in page and "\\[CLIENT\\]" not in page
    if plan.session and plan.session.client_location:
        # "home" is the field's whole value, so the field is labelled; the
        # word elsewhere ("home practice") is ordinary text and stays.
        assert "client at [LOCATION]" in page


def test_first_name_alone_in_free_text_is_redacted() -> None:
    text = example_text().replace("Symptoms for 8+ months", "Jordan reports symptoms for 8+ months")
    loaded = load_bytes(text.encode())
    plan = validate(loaded.data, loaded.positions).plan
    page = render(plan, Config(), TODAY, "html", redact=True)
    assert "[CLIENT] reports symptoms" in page and "Jordan" not in page


def test_cli_file_folder_and_modes(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    to_stdout = runner.invoke(
        app, ["render", str(plans / "C-1042.plan.yaml"), "-f", "md", "--today", "2026-02-01"]
    )
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("# Treatment plan C-1042")
    folder = runner.invoke(app, ["render", str(plans), "--redact", "--today", "2026-02-01"])
    assert folder.exit_code == 0, folder.output
    written = plans / "out" / "C-1042.redacted.html"
    assert written.is_file() and stat.S_IMODE(written.stat().st_mode) == 0o600
    again = runner.invoke(app, ["render", str(plans), "--redact", "--today", "2026-02-01"])
    assert again.exit_code == 0  # re-rendering replaces the old copy
    bad = runner.invoke(app, ["render", str(plans), "-f", "pdf"])
    assert bad.exit_code == 2 and "--format must be one of html, md" in bad.stderr


def test_subprocess_render(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "txplan",
            "render",
            str(plans / "C-1042.plan.yaml"),
            "-o",
            str(plans / "plan.html"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and (plans / "plan.html").read_text().startswith("<!DOCTYPE html>")


# --- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as running:
        yield running


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@needs_chromium
@pytest.mark.parametrize("paper", ["letter", "A4"])
def test_every_example_prints_on_at_most_two_pages(
    tmp_path: Path, paper: str, browser: Browser
) -> None:
    for path in ALL:
        for redact in (False, True):  # the de-identified copy carries a banner
            page = render(_plan(path), Config(), TODAY, "html", redact=redact)
            page = page.replace("size: auto", f"size: {paper}")
            stem = f"{path.stem}{'.redacted' if redact else ''}"
            html_file = tmp_path / f"{stem}.html"
            html_file.write_text(page)
            pdf = browser.pdf(html_file.as_uri())
            assert pdf.startswith(b"%PDF"), stem
            assert 1 <= _pages(pdf) <= 2, (stem, paper, _pages(pdf))


PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    '<a href="javascript:alert(1)">click</a>',
    '"><svg onload=alert(1)>',
    "{{ 7*7 }} ${7*7}",
]


TEXT_KEYS = {
    "name",
    "statement",
    "client_words",
    "criteria",
    "presenting_problem",
    "history",
    "notes",
    "summary",
    "note",
    "recommendation",
    "discharge_criteria",
    "modality",
    "pronouns",
    "payer",
    "member_id",
    "client_location",
    "what",
    "why",
    "severity",
    "credentials",
}
TEXT_LISTS = {"strengths", "impairments", "warning_signs", "coping", "supports", "crisis_contacts"}


def _hostile(value: object, payloads: Iterator[str], key: str = "") -> object:
    if isinstance(value, dict):
        return {k: _hostile(v, payloads, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in TEXT_LISTS:
            return [next(payloads) for _ in value] or [next(payloads)]
        return [_hostile(v, payloads, key) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return next(payloads)
    return value


@needs_chromium
def test_markup_in_every_text_field_stays_text(tmp_path: Path, browser: Browser) -> None:
    import itertools
    import json

    data = load_bytes(example_text().encode()).data
    hostile = _hostile(data, itertools.cycle(PAYLOADS))
    hostile["safety_plan"] = {
        k: [PAYLOADS[0]] for k in TEXT_LISTS if k not in ("strengths", "impairments")
    }
    loaded = load_bytes(json.dumps(hostile, default=str).encode())
    validated = validate(loaded.data, loaded.positions)
    plan = validated.plan
    assert plan is not None and validated.findings == []
    assert (plan.goals[0].statement or "").startswith(("<", "{", '"'))
    page = tmp_path / "hostile.html"
    page.write_text(render(plan, Config(), TODAY, "html"))
    dom = browser.dom(page.as_uri())
    parser = Tags()
    parser.feed(dom)
    injected = {"script", "img", "a", "iframe", "object", "embed"} & set(parser.tags)
    assert not injected, injected
    assert parser.tags.count("svg") == 2  # the GAD-7 and PHQ-9 charts, nothing more
    assert not [name for name, _ in parser.attrs if name.startswith("on")]
    assert "<title>Treatment plan C-1042</title>" in dom and "pwned" not in dom.split("<body")[0]
    assert "&lt;script&gt;" in dom  # shown to the reader as text


def test_a_redacted_copy_is_named_by_client_id_not_by_the_file(plans: Path) -> None:
    # A plan misnamed after the client (F007 warns) must not pass the name on.
    (plans / "jordan-avery.plan.yaml").write_text(example_text())
    result = runner.invoke(
        app, ["render", str(plans), "--redact", "-f", "md", "--today", "2026-02-01"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (plans / "out").iterdir()] == ["C-1042.redacted.md"]


MARKDOWN_PAYLOADS = [
    "~~struck~~ through",
    "1. a numbered start",
    "3) another numbered start",
    "+ a plus list",
    "- a dash list",
    "* a star list",
    "---",
    "===",
    "# a heading",
    "> a quote",
    "[a link](http://example.invalid)",
    "![an image](http://example.invalid/x.png)",
    "<b>bold</b> <http://example.invalid>",
    "`code` and **strong** and _em_",
    "| a | table | cell |",
    "text with \\ backslash & ampersand",
]
STRUCTURE = {
    "s_open", "bullet_list_open", "ordered_list_open", "hr", "heading_open", "link_open",
    "image", "html_inline", "html_block", "code_inline", "strong_open", "em_open",
    "blockquote_open", "table_open", "td_open", "th_open", "tr_open",
}  # fmt: skip


def _markdown_structure(text: str) -> dict[str, int]:
    from collections import Counter

    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["strikethrough", "table"])
    counted: Counter[str] = Counter()

    def walk(tokens: list) -> None:  # type: ignore[type-arg]
        for token in tokens:
            counted[token.type] += 1
            walk(token.children or [])

    walk(md.parse(text))
    return {kind: n for kind, n in counted.items() if kind in STRUCTURE}


def test_markdown_in_every_text_field_stays_text() -> None:
    import itertools
    import json

    data = load_bytes(example_text().encode()).data
    # The same plan with plain words in its text fields shows the structure
    # the template makes; Markdown in those fields must add nothing to it.
    words = itertools.cycle([f"plain words {i}" for i in range(len(MARKDOWN_PAYLOADS))])
    planted = itertools.cycle(MARKDOWN_PAYLOADS)

    def rendered(payloads: Iterator[str]) -> str:
        hostile = _hostile(data, payloads)
        loaded = load_bytes(json.dumps(hostile, default=str).encode())
        validated = validate(loaded.data, loaded.positions)
        assert validated.plan is not None and validated.findings == []
        return render(validated.plan, Config(), TODAY, "md")

    plain, marked = rendered(words), rendered(planted)
    assert "struck" in marked and "a numbered start" in marked
    assert _markdown_structure(marked) == _markdown_structure(plain)
    # and the reader sees the words as written
    from markdown_it import MarkdownIt

    shown = MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(marked)
    for payload in ("~~struck~~ through", "1. a numbered start", "+ a plus list", "---"):
        assert payload in shown, payload


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_document_on_stdout_carries_no_control_character(plans: Path, fmt: str) -> None:
    # A document is not terminal text (bidi marks stay: a name in an RTL
    # script may need them), but `render -o -` prints it on one, and no
    # Markdown or HTML reader has a use for ESC, BEL or a bare CR.
    from conftest import edit

    hostile = "Reduce worry\x1b[2J\x1b]8;;http://example.invalid\x07 and\rspoof\x85."
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(edit(example_text(), set_={"goals[0].statement": hostile}))
    result = runner.invoke(
        app, ["render", str(plan), "-f", fmt, "-o", "-", "--today", "2026-02-01"]
    )
    assert result.exit_code == 0, result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout), repr(result.stdout)
    assert "Reduce worry\\u001b" in result.stdout and "\\u0007 and" in result.stdout
    # Markdown text runs white space together (CR and NEL included); HTML keeps it.
    assert ("\\u0007 and\\u000dspoof" in result.stdout) == (fmt == "html")
