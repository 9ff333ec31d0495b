"""De-identification (HIPAA Safe Harbor): the redactor on its own, every example
and every template in Markdown, HTML and FHIR, and identifiers planted at
random (hypothesis). All people here are fictional."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, edit
from test_new import fill
from txplan.cli import app
from txplan.config import Config
from txplan.outputs.fhir import bundle
from txplan.outputs.redact import LABEL, Person, Redactor
from txplan.outputs.render import render
from txplan.plan.loader import load_bytes
from txplan.plan.model import Plan
from txplan.plan.placeholders import PATTERN
from txplan.plan.validate import validate
from txplan.workflow import scaffold

runner = CliRunner()
TODAY = dt.date(2026, 11, 22)
EXAMPLES = sorted(ROOT.glob("examples/*.plan.yaml"))
TEMPLATES = sorted(scaffold.catalog())
PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|(?<![\w-])\d{3}-\d{4}(?![\w-])")
FULL_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _plan_of(data: dict[str, Any]) -> Plan:
    loaded = load_bytes(json.dumps(data, default=str).encode())
    validated = validate(loaded.data, loaded.positions)
    assert validated.plan is not None, validated.findings
    return validated.plan  # type: ignore[no-any-return]


def _outputs(plan: Plan) -> dict[str, str]:
    return {
        "md": render(plan, Config(), TODAY, "md", redact=True),
        "html": render(plan, Config(), TODAY, "html", redact=True),
        "fhir": json.dumps(bundle(plan, Config(), redact=True, today=TODAY), ensure_ascii=False),
    }


def _word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


# --- the redactor on its own -----------------------------------------------------------

PEOPLE = [
    Person("Avery Lindqvist", "[CLIENT]"),
    Person("Will Park", "[CLINICIAN]"),
    Person("Susan Q. Practitioner, LCSW", "[SUPERVISOR]"),
    Person("Tomas Reyes-Lind", "[CLINICIAN]"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names as names: full names first, capitalized tokens, ordinary words kept.
        ("Avery will reduce tantrums.", "[CLIENT] will reduce tantrums."),
        ("Client will reduce tantrums.", "Client will reduce tantrums."),
        ("Will Park met Avery Lindqvist.", "[CLINICIAN] met [CLIENT]."),
        ("Seen by Will, then by Park.", "Seen by [CLINICIAN], then by [CLINICIAN]."),
        ("Will reports less worry.", "[CLINICIAN] reports less worry."),
        ("Will it help? Park the car first.", "Will it help? Park the car first."),
        ("A grace period; hope and joy; WILL power.", "A grace period; hope and joy; WILL power."),
        ("Lindqvist's mother called.", "[CLIENT]'s mother called."),
        ("Reviewed by Susan Q. Practitioner, LCSW.", "Reviewed by [SUPERVISOR], LCSW."),
        ("Dr. Reyes-Lind, LCSW; Reyes agreed", "Dr. [CLINICIAN], LCSW; [CLINICIAN] agreed"),
        # People named in passing, found by a relation word or a title.
        ("Sister (Karin) 555-0142", "Sister ([RELATIVE]) [PHONE]"),
        ("Karin (sister); call Karin first", "[RELATIVE] (sister); call [RELATIVE] first"),
        ("her son, Tom, visits", "her son, [RELATIVE], visits"),
        (
            "parents Sam and Alex; Alex drives",
            "parents [RELATIVE] and [RELATIVE]; [RELATIVE] drives",
        ),
        ("friend Dashiell Okafor helps", "friend [SUPPORT] helps"),
        ("Dr. Lee, PsyD, on call", "Dr. [PERSON], PsyD, on call"),
        ("Son (weekly visits)", "Son (weekly visits)"),
        ("Behavioral Parent Management Training; Family Therapy", None),
        ("Music, friends and faith; Supportive, partner attends", None),
        ("sister Émilie Brûlé visits", "sister [RELATIVE] visits"),
        ("Call her son or sister", "Call her son or sister"),
        (
            "Dr. McAllister; neighbor Mrs. O'Brien; brother LeBron",
            "Dr. [PERSON]; neighbor Mrs. [PERSON]; brother [RELATIVE]",
        ),
        (
            "Dr. van Dyke; friend MacLeod, cousin D’Angelo",
            "Dr. [PERSON]; friend [SUPPORT], cousin [RELATIVE]",
        ),
        (
            "daughters Amy, Beth and Cara; wife Sun-hee",
            "daughters [RELATIVE], [RELATIVE] and [RELATIVE]; wife [RELATIVE]",
        ),
        ("sister Zofia Łęcka", "sister [RELATIVE]"),
        ("the lindqvist family; will hope park", "the [CLIENT] family; will hope park"),
        (
            "mother is 97; 91 y.o.; 91yo; 91 years of age",
            "mother is [AGE 90 OR OLDER]; [AGE 90 OR OLDER]; [AGE 90 OR OLDER]; [AGE 90 OR OLDER]",
        ),
        (
            "DOB: 3/4/1931; born in 1929; born 1951",
            "DOB: [AGE 90 OR OLDER]; born in [AGE 90 OR OLDER]; born 1951",
        ),
        ("call 555 0142 or 555.0142 or 555 010 4477", "call [PHONE] or [PHONE] or [PHONE]"),
        # Phone and fax numbers in every common form; short codes stay.
        ("(555) 010-4477, 555.010.4477, +1 555 010 4477", "[PHONE], [PHONE], [PHONE]"),
        ("fax 1-555-010-4478 x12; 5550104477", "fax [PHONE]; [PHONE]"),
        ("call or text 988; 911", "call or text 988; 911"),
        # E-mail and web addresses.
        ("karin.vale+1@mail.example.org or www.example.org/karin", "[EMAIL] or [URL]"),
        # Places.
        ("48 Birch Lane, Apt 4B, Salem, OR 97301", "[ADDRESS], [LOCATION] [ZIP]"),
        ("PO Box 12; ZIP 02139; 02139-1234", "[ADDRESS]; [ZIP]; [ZIP]"),
        (
            "the Travis County team; County mobile crisis",
            "the [LOCATION] team; County mobile crisis",
        ),
        ("walks 10000 steps", "walks 10000 steps"),
        # Dates: the year stays; ages over 89 are one group.
        ("born 1951-03-14, seen 03/14/2026", "born 1951, seen 2026"),
        ("since August; March 3, 2026; 3 March 2026; May 5", "since [DATE]; 2026; 2026; [DATE]"),
        ("in September 2025; episodes in 2019 and 2022", "in 2025; episodes in 2019 and 2022"),
        ("a 92-year-old; aged 94; age 7", "a [AGE 90 OR OLDER]; [AGE 90 OR OLDER]; age 7"),
        ("you may march", "you may march"),
        # Numbers by what they are.
        ("MRN 5512-33, member ID W1234567, NPI 1548203967", "[RECORD NUMBER], [MEMBER ID], [NPI]"),
        ("SSN 123-45-6789; license # D1234567", "[SSN]; [LICENSE NUMBER]"),
        ("as recorded in 3-4 logs; PHQ-9 4/10; 15-30 minutes at 10:00", None),
        ("IP 192.168.1.20", "IP [IP ADDRESS]"),
    ],
)
def test_redactor(text: str, expected: str | None) -> None:
    assert Redactor(PEOPLE).text(text) == (text if expected is None else expected)


def test_a_name_as_written_goes_whole() -> None:
    redactor = Redactor([Person("Maria de la Cruz", "[CLIENT]")])
    assert (
        redactor.text("Maria de la Cruz agreed; Cruz signed") == "[CLIENT] agreed; [CLIENT] signed"
    )


def test_a_support_written_as_text_names_its_person() -> None:
    loaded = load_bytes((ROOT / "examples" / "C-2002.plan.yaml").read_bytes())
    data = copy.deepcopy(loaded.data)
    data["safety_plan"]["supports"].append("Ilse Brandt, neighbor, 555-0199")
    data["safety_plan"]["coping"].append("Knock on Ilse's door")
    page = render(_plan_of(data), Config(), TODAY, "md", redact=True)
    assert "[SUPPORT], neighbor, [PHONE]" in page and "Knock on [SUPPORT]'s door" in page


def test_labels_are_never_redacted_again() -> None:
    redactor = Redactor([Person("Zip Client", "[CLIENT]")])
    assert redactor.text("Zip lives at ZIP 02139") == "[CLIENT] lives at [ZIP]"


# --- every example and every template -------------------------------------------------


def _secrets(plan: Plan) -> list[str]:
    """Names (each token), numbers and dates that identify, from the plan's fields."""
    from txplan.outputs.redact import name_tokens
    from txplan.plan.model import Contact

    names = [plan.client.name, plan.clinician.name if plan.clinician else None]
    sig = plan.signatures
    if sig:
        names += [s.name for s in (sig.client, sig.guardian, sig.clinician, sig.supervisor) if s]
    numbers = [plan.client.member_id, plan.clinician.npi if plan.clinician else None]
    if plan.safety_plan:
        for entry in [*plan.safety_plan.supports, *plan.safety_plan.crisis_contacts]:
            if isinstance(entry, Contact):
                names.append(entry.name)
                numbers.append(entry.phone)
    tokens = [t for n in names if n for t in [n, *name_tokens(n)]]
    dob = plan.client.dob
    dates = [dob.isoformat(), dob.strftime("%m/%d/%Y")] if dob else []
    return [*tokens, *(n for n in numbers if n), *dates]


def _assert_deidentified(plan: Plan, outputs: dict[str, str], extra: list[str] = ()) -> None:
    for kind, text in outputs.items():
        for secret in [*_secrets(plan), *extra]:
            assert not _word(text, secret), (kind, secret)
        assert not PHONE.search(text), (kind, PHONE.search(text))
        assert not FULL_DATE.search(text), (kind, FULL_DATE.findall(text))
        assert plan.client.id in text, kind  # the client ID is kept
        # One label style: [CLIENT], never \[CLIENT\] in Markdown.
        assert not re.search(r"\\\[[A-Z ]+\\\]", text), kind
    credentials = plan.clinician.credentials if plan.clinician else None
    if credentials:
        assert all(_word(t, credentials) for t in outputs.values()), credentials


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_deidentified(path: Path) -> None:
    loaded = load_bytes(path.read_bytes())
    plan = validate(loaded.data, loaded.positions).plan
    outputs = _outputs(plan)
    _assert_deidentified(plan, outputs)
    assert "[CLIENT]" in outputs["md"] and "[CLIENT]" in outputs["html"]


# What the scaffold's placeholders get: identifiers wherever a person, a number
# or text goes, and ordinary words that must survive.
_PLANTED = {
    "support's name": "Hope Marlowe",
    "relation": "sister",
    "phone": "(555) 010-4477",
    "parent or guardian": "Sam Lindqvist",
    "supervisor's name": "Harold Brandt",
    "supervisor's credentials": "LCSW",
    "member ID": "W123456789",
}
_FREE_TEXT = (
    "Spoke with Hope (sister) at 555.010.4478 or hope.marlowe@example.com, 48 Birch Lane, "
    "Salem, OR 97301; Jordan and Marlowe agreed. Client will reduce worry; hope and a grace "
    "period help"
)
_PLANTED_SECRETS = [
    "Hope",
    "Marlowe",
    "Lindqvist",
    "Brandt",
    "Jordan",
    "Avery",
    "Park",
    "Will",
    "Birch",
    "Salem",
    "97301",
    "example.com",
    "W123456789",
    "1548203967",
]


def _planted(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        inner = match.group(0)[1:-1]
        return next((v for k, v in _PLANTED.items() if k in inner), match.group(0))

    filled = fill(PATTERN.sub(one, text))
    return filled.replace("Fictional detail for this test", _FREE_TEXT)


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_filled_with_identifiers_is_deidentified(plans: Path, name: str) -> None:
    result = runner.invoke(
        app,
        [
            "new",
            "C-7",
            "--template",
            name,
            "--dir",
            str(plans),
            "--no-input",
            "--today",
            TODAY.isoformat(),
            "--name",
            "Jordan Avery",
            "--dob",
            "1990-05-05",
            "--clinician",
            "Will Park",
            "--credentials",
            "PsyD",
        ],
    )
    assert result.exit_code == 0, result.output
    text = _planted((plans / "C-7.plan.yaml").read_text())
    text = edit(text, {"clinician.npi": "1548203967"})
    loaded = load_bytes(text.encode())
    plan = validate(loaded.data, loaded.positions).plan
    assert plan is not None
    outputs = _outputs(plan)
    _assert_deidentified(plan, outputs, _PLANTED_SECRETS)
    for kind in ("md", "html"):
        page = outputs[kind]
        assert "Client will reduce worry; hope and a grace period help" in page, kind
        assert "Birth year | 1990" in page or "Birth year:</span> 1990" in page, kind
        assert "[RELATIVE]" in page and "[EMAIL]" in page and "[ADDRESS]" in page, kind
    assert "Client will reduce worry; hope and a grace period help" in outputs["fhir"]


def test_redacted_fhir_names_no_one_in_free_text() -> None:
    loaded = load_bytes((ROOT / "examples" / "C-2004.plan.yaml").read_bytes())
    plan = validate(loaded.data, loaded.positions).plan
    data = bundle(plan, Config(), redact=True, today=TODAY)
    goals = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Goal"]
    texts = [g["description"]["text"] for g in goals]
    assert any(t.startswith("[CLIENT] will reduce tantrums") for t in texts), texts
    assert data["meta"]["security"][0]["code"] == "REDACTED"
    patient = data["entry"][0]["resource"]
    assert patient["birthDate"] == "2017" and "name" not in patient
    assert {g["target"][0]["dueDate"] for g in goals if "target" in g} <= {"2026", "2027"}


def test_ages_over_89_keep_no_birth_year() -> None:
    loaded = load_bytes((ROOT / "examples" / "C-2001.plan.yaml").read_bytes())
    data = copy.deepcopy(loaded.data)
    data["client"]["dob"] = "1930-01-02"
    plan = _plan_of(data)
    outputs = _outputs(plan)
    assert "1930" not in outputs["md"] and "[AGE 90 OR OLDER]" in outputs["md"]
    assert "birthDate" not in outputs["fhir"]


def test_safety_plan_people_in_both_forms() -> None:
    """A support as a mapping and as text: shown unredacted, labelled redacted."""
    loaded = load_bytes((ROOT / "examples" / "C-2002.plan.yaml").read_bytes())
    data = copy.deepcopy(loaded.data)
    data["safety_plan"]["supports"].append("Neighbor (Ilse) 555-0199")
    data["safety_plan"]["crisis_contacts"].append(
        {"name": "Oren Quist", "relation": "on-call therapist", "phone": "555-0100"}
    )
    data["safety_plan"]["coping"].append("Text Ilse or Karin, or call Oren")
    plan = _plan_of(data)
    plain = render(plan, Config(), TODAY, "md")
    assert (
        "Karin Whitcombe (sister), 555-0142" in plain and "Oren Quist (on-call therapist)" in plain
    )
    page = render(plan, Config(), TODAY, "md", redact=True)
    assert "[RELATIVE] (sister), [PHONE]" in page
    assert "[CONTACT] (on-call therapist), [PHONE]" in page
    assert "Neighbor ([SUPPORT]) [PHONE]" in page
    assert "Text [SUPPORT] or [RELATIVE], or call [CONTACT]" in page
    for secret in ("Karin", "Whitcombe", "Ilse", "Oren", "Quist", "555-0142", "555-0199"):
        assert secret not in page


def test_schema_accepts_text_or_person() -> None:
    import jsonschema

    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    items = schema["$defs"]["SafetyPlan"]["properties"]["supports"]["items"]
    assert {"type": "string"} in items["oneOf"]
    assert set(schema["$defs"]["Contact"]["properties"]) == {"name", "relation", "phone"}
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(json.dumps(_BASE, default=str))  # C-2002: a text and a mapping
    assert list(validator.iter_errors(data)) == []
    data["safety_plan"]["supports"].append({"name": "Karin", "phone_nr": "555-0142"})
    assert list(validator.iter_errors(data))


def test_a_mistyped_contact_key_is_a_finding_at_its_line(plans: Path) -> None:
    text = (ROOT / "examples" / "C-2002.plan.yaml").read_text()
    text = text.replace("relation: sister, phone: 555-0142", "relation: sister, phone_nr: 555-0142")
    (plans / "C-2002.plan.yaml").write_text(text)
    result = runner.invoke(app, ["lint", str(plans / "C-2002.plan.yaml"), "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "F002"]
    line = 1 + text.splitlines().index(
        "    - {name: Karin Whitcombe, relation: sister, phone_nr: 555-0142}"
    )
    assert len(found) == 1 and found[0]["line"] == line, found
    assert "Did you mean `phone`? Known keys here: name, relation, phone." in found[0]["message"]


def test_help_says_the_client_id_is_kept() -> None:
    for command in ("render", "export"):
        result = runner.invoke(app, [command, "--help"], terminal_width=200)
        text = " ".join(result.stdout.replace("│", " ").split())
        assert "keeps the client id" in text.lower(), command
        assert "year" in text, command


# --- identifiers planted at random -------------------------------------------------------

FIRST = ["Karin", "Tomasz", "Ilse", "Oren", "Marisol", "Dashiell", "Hope", "Faith", "Ulla"]
LAST = ["Vale", "Okafor", "Lindgren", "Marlowe", "Quist", "Hollis", "Brandt-Oyelaran"]
STREETS = ["Birch", "Maple", "Harbor View", "Quarry"]
SUFFIXES = ["Street", "St.", "Avenue", "Lane", "Rd", "Court", "Drive"]
FIELDS = [
    ("assessment", "presenting_problem"),
    ("assessment", "history"),
    ("assessment", "risk", "notes"),
    ("recommendation",),
    ("discharge_criteria",),
    ("diagnoses", 0, "criteria"),
    ("problems", 0, "statement"),
    ("problems", 1, "statement"),
    ("goals", 0, "client_words"),
    ("goals", 1, "statement"),
    ("goals", 0, "objectives", 0, "statement"),
    ("goals", 1, "objectives", 1, "statement"),
    ("interventions", 0, "statement"),
    ("interventions", 2, "statement"),
    ("safety_plan", "coping", 0),
    ("safety_plan", "warning_signs", 1),
]


@st.composite
def _phone(draw: st.DrawFn) -> str:
    a, b = draw(st.integers(200, 999)), draw(st.integers(200, 999))
    c = f"{draw(st.integers(0, 9999)):04d}"
    form = draw(
        st.sampled_from(
            [
                *["({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "+1 {a} {b} {c}"],
                *["1-{a}-{b}-{c}", "{b}-{c}", "{a}{b}{c}", "{a} {b} {c}", "({a}){b}-{c} ext. 12"],
            ]
        )
    )
    return form.format(a=a, b=b, c=c)


@st.composite
def _zip(draw: st.DrawFn) -> tuple[str, str]:
    code = f"{draw(st.integers(1000, 99999)):05d}"
    form = draw(
        st.sampled_from(["Salem, OR {z}", "ZIP {z}", "zip code {z}", "{z}-4321", "Ohio {z}"])
    )
    return code, form.format(z=code)


@given(
    first=st.sampled_from(FIRST),
    last=st.sampled_from(LAST),
    known_as=st.sampled_from(["client", "support", "relative"]),
    phone=_phone(),
    mail_n=st.integers(0, 99),
    domain=st.sampled_from(["example.com", "mail.example.org", "clinic.example.net"]),
    number=st.integers(1, 9999),
    street=st.sampled_from(STREETS),
    suffix=st.sampled_from(SUFFIXES),
    zipcode=_zip(),
    fields=st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5, unique=True),
    wording=st.integers(0, 1),
)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_planted_identifiers_never_survive(
    first: str,
    last: str,
    known_as: str,
    phone: str,
    mail_n: int,
    domain: str,
    number: int,
    street: str,
    suffix: str,
    zipcode: tuple[str, str],
    fields: list[tuple[str | int, ...]],
    wording: int,
) -> None:
    data = copy.deepcopy(_BASE)
    full = f"{first} {last}"
    if known_as == "client":
        data["client"]["name"] = full
        data["signatures"]["client"]["name"] = full
    elif known_as == "support":
        data["safety_plan"]["supports"].append({"name": full, "relation": "friend"})
    else:
        data["safety_plan"]["coping"].append(f"Ask her sister {full} to visit")
    email = f"{first.lower()}.{last.lower()}{mail_n}@{domain}"
    address = f"{number} {street} {suffix}"
    code, zip_text = zipcode
    planted = (
        f"Spoke with {first} about moving to {address}, {zip_text}; reach {full} at {phone} "
        f"or {email}, and {last} agreed"
        if wording == 0
        else f"{full} lives at {address} ({zip_text}). Call {phone} or write to {email}. "
        f"{first} reports that {last}'s calls help"
    )
    for path in fields:
        node: Any = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = f"{node[path[-1]]} {planted}."
    plan = _plan_of(data)
    for kind, text in _outputs(plan).items():
        shown = LABEL.sub("", text)
        for secret in [first, last, *last.split("-"), phone, email, street, code]:
            assert not _word(shown, secret), (kind, secret, planted)
        assert not PHONE.search(shown), (kind, phone)


_BASE: dict[str, Any] = load_bytes((ROOT / "examples" / "C-2002.plan.yaml").read_bytes()).data
