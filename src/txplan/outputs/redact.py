"""De-identification that follows HIPAA Safe Harbor: text in, text out, no I/O.

HHS, *Guidance Regarding Methods for De-identification of Protected Health
Information in Accordance with the HIPAA Privacy Rule*: the Safe Harbor method
(45 CFR 164.514(b)(2)) removes eighteen kinds of identifiers "of the
individual or of relatives, employers, or household members of the
individual". What a treatment plan can hold of them becomes a label in
capitals and brackets, the same in Markdown, HTML and FHIR:

- (A) names: of the client, guardian, clinician, supervisor and reviewers,
  of every support and crisis contact (structured `{name, relation, phone}`
  or plain text such as "Sister (Karin)"), and of anyone free text names
  after a relation word ("her son Tom", "Karin (sister)") or a title
  ("Dr. Lee"): [CLIENT], [GUARDIAN], [CLINICIAN], [SUPERVISOR], [RELATIVE],
  [SUPPORT], [CONTACT], [PERSON]. Names are matched as names: each token
  capitalized, at word boundaries, full names first, so "will", "grace" or
  "hope" as ordinary words survive (`_COMMON` below).
- (B) places smaller than a state: street addresses and PO boxes [ADDRESS],
  ZIP codes [ZIP] (the guidance allows three digits only for populous areas;
  removing the whole code is always allowed), "City, ST" and counties
  [LOCATION].
- (C) dates: every date is cut to its year ("2026-11-16" -> "2026"), since
  dates of service are "directly related to an individual" as much as a
  birth date; a day or month without a year becomes [DATE]; ages over 89,
  and a birth year that shows one, become [AGE 90 OR OLDER].
- (D-F) phone and fax numbers [PHONE], e-mail addresses [EMAIL];
  (G) Social Security numbers [SSN]; (H-J) record, member and account
  numbers [RECORD NUMBER], [MEMBER ID], [ACCOUNT NUMBER]; (K-M) license,
  plate, serial and device numbers [LICENSE NUMBER], [SERIAL NUMBER];
  (N-O) web addresses [URL] and IP addresses [IP ADDRESS]; the clinician's
  NPI [NPI]. A plan holds no biometrics or photographs (P-Q).

The client ID is kept: a code the practice assigns is allowed (45 CFR
164.514(c)) as long as it is not derived from the person's details, which is
why txplan asks that it never carry the client's name. What no pattern can
find (an employer or school named without an address, a rare occupation) is
the "actual knowledge" part of Safe Harbor: the reader of the copy checks it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from txplan.plan.model import Plan

LABELS = (
    "CLIENT",
    "GUARDIAN",
    "CLINICIAN",
    "SUPERVISOR",
    "RELATIVE",
    "SUPPORT",
    "CONTACT",
    "PERSON",
    "PHONE",
    "EMAIL",
    "URL",
    "IP ADDRESS",
    "ADDRESS",
    "ZIP",
    "LOCATION",
    "DATE",
    "AGE 90 OR OLDER",
    "SSN",
    "MEMBER ID",
    "RECORD NUMBER",
    "ACCOUNT NUMBER",
    "LICENSE NUMBER",
    "SERIAL NUMBER",
    "NPI",
)
LABEL = re.compile(r"\[(?:" + "|".join(re.escape(x) for x in LABELS) + r")\]")


def label(name: str) -> str:
    assert name in LABELS, name
    return f"[{name}]"


# --- people ------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Name tokens that are also ordinary English words: matched alone only when
# capitalized mid-sentence (or at a sentence's start when a reporting verb
# follows: "Will reports"), never in lower case.
_COMMON = _words(
    """will grace hope park may faith joy rose sky mark bill art summer dawn april june
    august autumn winter star sunny brook river lane hunter mason baker cook carter
    miller taylor page young white black brown green gray grey long short little
    king knight bishop love hart hill wood woods field fields frank earnest honor
    honour justice patience prudence charity harmony melody destiny trinity chance
    rich price jack jade amber ruby pearl ivy holly olive violet iris daisy lily
    heather jasmine autumn sterling christian major chase cash noble gay early
    reed rush stone ward wells west north south east may sun"""
)
_REPORTING = _words(
    """reports reported states stated says said denies denied endorses endorsed describes
    described presents presented attends attended agrees agreed notes noted identifies
    identified completed completes wants wanted feels felt signed lives lived works
    worked called calls visits visited"""
)
_TITLES = _words("dr mr mrs ms mx miss prof rev fr sr jr ii iii iv")
# Credentials and degrees are not names: "Susan Q. Practitioner, LCSW" keeps "LCSW".
CREDENTIALS = _words(
    """phd psyd edd md do np pa rn lpn aprn pmhnp lcsw lcsw-c licsw lmsw lsw msw lpc
    lpcc lmhc lmft mft lcpc lpa bcba bcaba cadc ladc lcadc ncc acsw dsw mfa ma ms
    mss mph ba bs bsw lp lcp lpcc-s lpc-s cpc crc"""
)
_FAMILY = (
    "mother|mom|mum|mommy|mummy|mama|father|dad|daddy|papa|parent|sister|brother|sibling|"
    "son|daughter|child|husband|wife|spouse|partner|boyfriend|girlfriend|fiance|fiancee|"
    "fiancé|fiancée|grandmother|grandma|granny|grandfather|grandpa|grandparent|grandson|"
    "granddaughter|aunt|auntie|uncle|cousin|niece|nephew|stepmother|stepfather|stepmom|"
    "stepdad|stepsister|stepbrother|stepson|stepdaughter|mother-in-law|father-in-law|"
    "sister-in-law|brother-in-law|twin"
)
_OTHERS = (
    "friend|neighbor|neighbour|roommate|housemate|flatmate|coworker|co-worker|colleague|"
    "boss|manager|supervisor|employer|teacher|coach|sponsor|pastor|priest|rabbi|imam|"
    "minister|mentor|caseworker|case manager|caregiver|carer|guardian|landlord|"
    "therapist|counselor|counsellor|psychiatrist|doctor|physician|nurse|tutor|classmate"
)
FAMILY_WORDS = frozenset(_FAMILY.split("|"))
_RELATION = f"(?:{_FAMILY}|{_OTHERS})"
# Capitalized words that follow a relation word without being a name.
_NOT_NAMES = (
    _words(
        """i a an the and or but if of on in at to for by with from as is are was were be
    call text phone visit visits weekly daily monthly sometimes often when who whom
    his her their my our your its this that these those who she he they we you it
    monday tuesday wednesday thursday friday saturday sunday january february march
    april june july august september october november december lifeline crisis line
    hotline team center centre clinic hospital church school work office group home
    house cell mobile number available only also both together each every not no
    yes ok okay dr mr mrs ms mx miss prof rev training management therapy program
    programme group groups education support supports interaction skills session
    sessions meeting meetings conference night day visit plan council association
    services service center child children involvement coaching effectiveness
    psychoeducation workshop class classes night nights weekend weekends time
    check-in check-ins report reports card cards notes chart night"""
    )
    | FAMILY_WORDS
)


def _letters(test: Callable[[str], bool]) -> str:
    """A character class body of every letter below U+2000 that passes `test`
    (Latin, Greek, Cyrillic and Vietnamese included): Python's re has no \\p{Lu}."""
    chars = [chr(c) for c in range(0x2000) if test(chr(c))]
    return "".join(re.escape(c) for c in chars)


_UPPER = _letters(str.isupper)
_LOWER = _letters(str.islower)
_LETTER = r"[^\W\d_]"
# A name: a capital, then letters of any case with apostrophes between them
# ("McAllister", "O'Brien", "LeBron"), at least one lower-case letter so an
# acronym is not a name; hyphenated halves in any case ("Sun-hee").
_PART = rf"[{_UPPER}](?=[^\W\d_'’]*['’]?[^\W\d_]*[{_LOWER}]){_LETTER}*(?:['’]{_LETTER}+)*"
_ONE = rf"(?<![\w'’-]){_PART}(?:-{_LETTER}+)*(?![\w'’-])"
_PARTICLES = r"(?:van|von|de|del|della|der|den|di|da|du|la|le|ter|ten|bin|ibn|al|el)"
_NAME = rf"(?:{_PARTICLES}\s+){{0,2}}{_ONE}"
_DISCOVER = (
    # "sister Karin", "her son, Tom", "friend (Karin Vale)", "sister named Karin"
    re.compile(
        rf"(?i:\b(?P<rel>{_RELATION})s?\b)(?:\s*,\s*|\s*\(\s*|\s*:\s*|\s+)"
        rf"(?:(?i:named|called|is)\s+)?(?P<names>{_NAME}(?:\s+{_NAME})?"
        rf"(?:\s*(?:,\s*(?:and\s+|&\s*|or\s+)?|\s+and\s+|\s*&\s*|\s+or\s+)"
        rf"{_NAME}(?:\s+{_NAME})?)*)"
    ),
    # "Karin (sister)", "Karin, her sister", "Karin - my sister"
    re.compile(
        rf"(?P<name>{_NAME}(?:\s+{_NAME})?)\s*(?:\(\s*(?i:(?:my|her|his|their)\s+)?|"
        rf"(?:,|-|–)\s*(?i:my|her|his|their|the client's|client's)\s+)"
        rf"(?i:(?P<rel>{_RELATION})s?\b)"
    ),
    # "Dr. Lee", "Pastor Jim", "Coach Dana"
    re.compile(
        rf"\b(?P<title>Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Rev|Pastor|Father|Coach|Officer|Judge|Nurse)"
        rf"\.?\s+(?P<name>{_NAME}(?:\s+{_NAME})?)"
    ),
)
# In a support or contact written as text, "Karin, sister, 555-0142" names her too.
_DISCOVER_ENTRY = re.compile(
    rf"^\s*(?P<name>{_NAME}(?:\s+{_NAME})?)\s*(?:,|-|–|:)\s*(?i:(?P<rel>{_RELATION})s?\b)"
)


@dataclass(frozen=True)
class Person:
    """Someone the plan names, and the label that stands for them."""

    name: str
    label: str


def relation_label(relation: str | None, default: str) -> str:
    """[RELATIVE] for family, else `default` ([SUPPORT], [CONTACT])."""
    words = re.findall(r"[\w-]+", (relation or "").lower())
    return label("RELATIVE") if any(w.rstrip("s") in FAMILY_WORDS for w in words) else default


def name_tokens(name: str) -> list[str]:
    """The tokens of a name that identify the person: no titles, suffixes,
    credentials or initials; "Reyes-Lind" gives itself and both halves."""
    head = name.split(",")[0]  # "Susan Q. Practitioner, LCSW"
    tokens: list[str] = []
    for raw in head.split():
        token = raw.strip(".,;:()\"'“”")
        if len(token) < 2 or not token[0].isupper():
            continue
        if token.lower().rstrip(".") in _TITLES or token.lower() in CREDENTIALS:
            continue
        tokens.append(token)
        if "-" in token:
            tokens += [p for p in token.split("-") if len(p) >= 2 and p[0].isupper()]
    return tokens


def discover(text: str, entry: bool = False) -> list[Person]:
    """People free text names after a relation word or a title; `entry`: the
    text is a whole support or contact, where "Karin, sister" names her."""
    found: list[Person] = []
    for pattern in (*_DISCOVER, _DISCOVER_ENTRY) if entry else _DISCOVER:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("title"):
                who = label("PERSON")
            else:
                who = relation_label(groups.get("rel"), label("SUPPORT"))
            # "parents Sam and Alex", "daughters Amy, Beth and Cara": each.
            names = groups.get("names") or groups.get("name") or ""
            for name in re.split(r"\s*(?:,|&|\band\b|\bor\b)\s*", names):
                words = [w for w in (name or "").split() if w.lower() not in _NOT_NAMES]
                if words:
                    found.append(Person(" ".join(words), who))
    return found


def _key(token: str) -> str:
    return token.lower().replace("’", "'")


def _cased(token: str) -> str:
    """The token as a pattern, either apostrophe: an ordinary word ("Will",
    "Hope") with its first letter as written, any other name in any case
    ("the whitcombe family")."""

    def escaped(text: str) -> str:
        return "".join("['’]" if c in "'’" else re.escape(c) for c in text)

    if _key(token) not in _COMMON:
        return f"(?i:{escaped(token)})"
    first, rest = token[0], token[1:]
    return re.escape(first) + (f"(?i:{escaped(rest)})" if rest else "")


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip().rstrip("\"'“‘*")
    if not before:
        return True
    if before[-1] in "!?:;\n":
        return True
    if before[-1] == ".":
        word = re.search(r"(\w+)\.$", before)
        return not (word and word.group(1).lower() in _TITLES)
    return False


def _reporting_follows(text: str, end: int) -> bool:
    after = re.match(r"(?:'s\b|’s\b|\s+(\w+))", text[end:])
    if after is None:
        return False
    return after.group(1) is None or after.group(1).lower() in _REPORTING


class _Names:
    """Every known person's name as patterns: runs of a person's tokens (full
    names, with an initial or not) first, then single tokens."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.label: dict[str, str] = {}
        self._run_labels: list[str] = []
        written: dict[str, str] = {}
        runs: list[str] = []
        for person in people:
            tokens = name_tokens(person.name)
            if not tokens:
                continue
            for token in tokens:
                self.label.setdefault(_key(token), person.label)
                written.setdefault(_key(token), token)
            alt = "|".join(_cased(t) for t in sorted(set(tokens), key=len, reverse=True))
            # The name as written ("Maria de la Cruz"), then any run of its tokens.
            written_as = person.name.split(",")[0].split()
            exact = r"\s+".join(_cased(w) for w in written_as) + "|" if len(written_as) > 1 else ""
            run = rf"{exact}(?:{alt})(?:\s+(?:[A-Z]\.?\s+)?(?:{alt}))+"
            runs.append(f"(?P<p{len(runs)}>{run})")
            self._run_labels.append(person.label)
        self.runs = re.compile(rf"(?<!\w)(?:{'|'.join(runs)})(?!\w)") if runs else None
        singles = sorted(written.values(), key=len, reverse=True)
        self.singles = (
            re.compile(r"(?<!\w)(?:" + "|".join(_cased(t) for t in singles) + r")(?!\w)")
            if singles
            else None
        )

    def __call__(self, text: str) -> str:
        if self.runs is not None:
            runs = self.runs

            def run(match: re.Match[str]) -> str:
                index = int((match.lastgroup or "p0")[1:])
                return self._run_labels[index]

            text = outside_labels(text, lambda part: runs.sub(run, part))
        if self.singles is not None:
            singles = self.singles

            def single(match: re.Match[str], part: str) -> str:
                token = match.group(0)
                if _key(token) in _COMMON:
                    # An ordinary word unless written as a name: Title case,
                    # mid-sentence (or starting one before "reports", "'s").
                    if token != token[0] + token[1:].lower():
                        return token
                    if _sentence_start(part, match.start()) and not _reporting_follows(
                        part, match.end()
                    ):
                        return token
                return self.label[_key(token)]

            text = outside_labels(text, lambda part: singles.sub(lambda m: single(m, part), part))
        return text


# --- patterns ------------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"(?:{_MONTHS}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR"
)
# "Jane Roe, MD": codes that are also credentials do not make a city.
_CITY_STATES = "|".join(c for c in _STATES.split("|") if c not in {"MD", "MA", "MS", "PA"})
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    "Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|"
    "Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    "Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
_STREET = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Row|Alley|"
    "Crescent|Close|Loop|Path|Pike|Plaza|Walk"
)
_ID_VALUE = r"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}"
_PHONE_10 = (
    r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?"
)


def _age(match: re.Match[str]) -> str:
    # Up to 125: a larger number is not an age ("is 150 lbs").
    return label("AGE 90 OR OLDER") if 90 <= int(match.group("n")) <= 125 else match.group(0)


def _age_in(match: re.Match[str]) -> str:
    """Only the number goes: "mother is 97" -> "mother is [AGE 90 OR OLDER]"."""
    if not 90 <= int(match.group("n")) <= 125:
        return match.group(0)
    return match.group("p") + label("AGE 90 OR OLDER") + match.group("s")


def _iso(match: re.Match[str]) -> str:
    return match.group("y") if 1 <= int(match.group("m")) <= 12 else match.group(0)


def _county(match: re.Match[str]) -> str:
    if match.group(1).split()[0].lower() in _NOT_NAMES:
        return match.group(0)
    return label("LOCATION")


Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]

_RULES: list[Rule] = [
    # Machine addresses first: an e-mail's local part often holds a name.
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), label("EMAIL")),
    (re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I), label("URL")),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), label("IP ADDRESS")),
    # Numbers by what they are called.
    (re.compile(r"\bNPI\s*(?:#|no\.?|number)?\s*[:#]?\s*\d{10}\b", re.I), label("NPI")),
    (
        re.compile(
            r"\b(?:SSN|social security(?: number| no\.?| #)?)\s*[:#]?\s*\d{3}-?\d{2}-?\d{4}\b", re.I
        ),
        label("SSN"),
    ),
    (re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), label("SSN")),
    (
        re.compile(
            rf"\b(?:MRN\s*(?:number|no\.?|#)?|(?:(?:medical )?record|chart|patient|case|file)"
            rf"\s*(?:number|no\.|#|ID))\s*[:#]?\s*{_ID_VALUE}",
            re.I,
        ),
        label("RECORD NUMBER"),
    ),
    (
        re.compile(
            rf"\b(?:member|subscriber|beneficiary|policy|insurance|medicaid|medicare)"
            rf"\s*(?:ID|number|no\.?|#)\s*[:#]?\s*{_ID_VALUE}",
            re.I,
        ),
        label("MEMBER ID"),
    ),
    (
        re.compile(rf"\b(?:account|acct\.?)\s*(?:number|no\.|#)\s*[:#]?\s*{_ID_VALUE}", re.I),
        label("ACCOUNT NUMBER"),
    ),
    (
        re.compile(
            rf"\b(?:licen[cs]e|certificate|permit)\s*(?:number|no\.|#|ID)\s*[:#]?\s*{_ID_VALUE}",
            re.I,
        ),
        label("LICENSE NUMBER"),
    ),
    (
        re.compile(
            rf"\b(?:(?:license )?plate|VIN|serial|device)\s*(?:number|no\.|#|ID)\s*[:#]?\s*"
            rf"{_ID_VALUE}",
            re.I,
        ),
        label("SERIAL NUMBER"),
    ),
    # Dates: the year stays, every other element goes.
    (re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b"), _iso),
    (re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})\b(?!-)"), _iso),
    (re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?P<y>(?:19|20)\d{2})\b"), r"\g<y>"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b"), label("DATE")),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<y>\d{{4}})\b"), r"\g<y>"),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b"), r"\g<y>"),
    (re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}})\b"), r"\g<y>"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:minutes|hours|times|days|weeks))"), label("DATE")),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z])"), label("DATE")),
    (
        re.compile(
            rf"\b(?P<p>(?i:in|since|by|until|till|on|from|during|before|after|through|early|"
            rf"mid|late|last|next|this|each|every)\s+)(?:{_MONTHS})\b"
        ),
        rf"\g<p>{label('DATE')}",
    ),
    # Ages over 89.
    (
        re.compile(
            r"\b(?P<n>\d{2,3})[- ]?(?:years?[- ]old|years?\s+of\s+age|y/?o\b|y\.\s?o\.?"
            r"|yrs?\.?[- ]old)",
            re.I,
        ),
        _age,
    ),
    (re.compile(r"\b(?:aged?|age of)\s+(?P<n>\d{2,3})\b", re.I), _age),
    # "mother is 97", "he turned 91": after a relation, a pronoun or a name.
    (
        re.compile(
            rf"(?P<p>(?:(?i:\b{_RELATION}|\bhe|\bshe|\bclient)|{_ONE})\s+"
            rf"(?i:is|was|turned|turns|is now|now)\s+(?:(?i:aged?|nearly|almost|about)\s+)?)"
            r"(?P<n>\d{2,3})(?P<s>)\b(?![%/.,]?\d|\s*(?i:%|percent|points|lbs?|kg|pounds|mg|"
            r"minutes|min|hours|days|weeks|times|out of))"
        ),
        _age_in,
    ),
    # "Lee, 94, lives alone"
    (
        re.compile(rf"(?P<p>{_ONE},\s*)(?P<n>\d{{2,3}})(?P<s>\s*,)(?!\s*\d)"),
        _age_in,
    ),
    # Places smaller than a state.
    (re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.I), label("ADDRESS")),
    (
        re.compile(
            r"\b\d{1,6}[A-Za-z]?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
            r"(?:(?:[A-Z][\w'.-]*|\d+(?:st|nd|rd|th))\s+){1,4}"
            rf"(?:{_STREET})\b\.?"
            r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|#)\.?\s*#?[\w-]+)?"
        ),
        label("ADDRESS"),
    ),
    (re.compile(r"\b(?:ZIP|zip|Zip)(?:\s*code)?\s*[:#]?\s*\d{5}(?:-\d{4})?\b"), label("ZIP")),
    (re.compile(r"(?i:postal code)\s*[:#]?\s*\d{5}(?:-\d{4})?\b"), label("ZIP")),
    (
        re.compile(rf"\b(?P<s>{_STATES}|{_STATE_NAMES}),?\s+\d{{5}}(?:-\d{{4}})?\b"),
        rf"\g<s> {label('ZIP')}",
    ),
    (re.compile(r"(?<![\w-])\d{5}-\d{4}(?![\w-])"), label("ZIP")),
    # Phone and fax numbers, after dates and IDs have taken theirs.
    (re.compile(rf"(?<![\w-]){_PHONE_10}(?![\w-])"), label("PHONE")),
    (re.compile(r"(?<![\w-])\+\d{1,3}(?:[\s.-]?\d){7,12}(?![\w-])"), label("PHONE")),
    (re.compile(r"(?<![\w-])(?:\+?1)?\d{10}(?![\w-])"), label("PHONE")),
    (re.compile(r"(?<![\w-])\d{3}[-. ]\d{4}(?![\w-])"), label("PHONE")),
]

# After names, so "Jane Roe, MD" is a person with a credential before it can
# look like a city and a state.
_AFTER_NAMES: list[Rule] = [
    (
        re.compile(
            rf"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){{0,2}},\s*(?:{_CITY_STATES}|{_STATE_NAMES})\b"
        ),
        label("LOCATION"),
    ),
    (re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:County|Parish|Borough)\b"), _county),
]


def outside_labels(text: str, change: Callable[[str], str]) -> str:
    """Apply `change` to the text between labels, never to a label."""
    if "[" not in text:  # most text holds no label yet: spare the split
        return change(text)
    parts = LABEL.split(text)
    labels = LABEL.findall(text)
    out = [change(parts[0])]
    for lab, part in zip(labels, parts[1:], strict=True):
        out += [lab, change(part)]
    return "".join(out)


def _apply(rules: list[Rule], text: str) -> str:
    for pattern, repl in rules:
        if pattern.search(text) is None:  # cheaper than splitting around labels
            continue

        def change(part: str, pattern: re.Pattern[str] = pattern, repl: Any = repl) -> str:
            return pattern.sub(repl, part)

        text = outside_labels(text, change)
    return text


# --- the redactor ------------------------------------------------------------------------


@dataclass
class Redactor:
    """Replaces identifiers in any text; built once per plan (see `for_plan`).

    `values` are exact strings known to identify (member ID, NPI, a support's
    phone) with their labels, matched whole and in any case."""

    people: Sequence[Person] = ()
    values: Sequence[tuple[str, str]] = ()
    today: dt.date | None = None
    _names: _Names = field(init=False, repr=False)
    _values: re.Pattern[str] | None = field(init=False, repr=False)
    _value_labels: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = _Names(self.people)
        known = {v.strip(): lab for v, lab in self.values if v and len(v.strip()) >= 3}
        self._value_labels = {k.lower(): v for k, v in known.items()}
        ordered = sorted(known, key=len, reverse=True)
        self._values = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in ordered) + r")(?!\w)", re.I)
            if ordered
            else None
        )

    def _birth_years(self, text: str) -> str:
        return _birth_years_before((self.today or dt.date.today()).year)(text)

    def text(self, value: str) -> str:
        if not value:
            return value
        if self._values is not None:
            values = self._values
            value = values.sub(lambda m: self._value_labels[m.group(0).lower()], value)
        value = _apply(_RULES, value)
        value = outside_labels(value, self._birth_years)
        local = discover(value)
        value = (_Names([*self.people, *local]) if local else self._names)(value)
        return _apply(_AFTER_NAMES, value)


_BORN = re.compile(
    r"(?P<p>\b(?i:born|b\.|DOB|D\.O\.B\.?|date of birth|birth ?date|birth year|year of birth)"
    r"(?:\s*(?i:in|on|:|#|-|was|is))*\s*)(?P<y>(?:18|19|20)\d{2})\b"
)


def _birth_years_before(year: int) -> Callable[[str], str]:
    """A birth year that makes someone 90 or older (maybe 89: one label is safer)."""

    def change(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            if year - int(match.group("y")) < 90:
                return match.group(0)
            return match.group("p") + label("AGE 90 OR OLDER")

        return _BORN.sub(one, text)

    return change


def birth_year(dob: dt.date | None, as_of: dt.date) -> str:
    """The birth year, or [AGE 90 OR OLDER] when it shows an age over 89."""
    if dob is None:
        return ""
    age = as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))
    return label("AGE 90 OR OLDER") if age >= 90 else str(dob.year)


def plan_strings(value: object) -> Iterator[str]:
    """Every string in a plan (or any part of one)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from plan_strings(item)
    else:
        for name in getattr(type(value), "model_fields", None) or ():
            yield from plan_strings(getattr(value, name))


def for_plan(plan: Plan, today: dt.date | None = None) -> Redactor:
    """The redactor for one plan: every person it names (in its fields, its
    safety plan and in passing in its free text) and every number that
    identifies them."""
    from txplan.plan.model import Contact

    people: list[Person] = []
    values: list[tuple[str, str]] = []

    def person(name: str | None, who: str) -> None:
        if name and name.strip():
            people.append(Person(name.strip(), who))

    sig = plan.signatures
    person(plan.client.name, label("CLIENT"))
    person(sig.client.name if sig and sig.client else None, label("CLIENT"))
    person(sig.guardian.name if sig and sig.guardian else None, label("GUARDIAN"))
    person(plan.clinician.name if plan.clinician else None, label("CLINICIAN"))
    person(sig.clinician.name if sig and sig.clinician else None, label("CLINICIAN"))
    person(sig.supervisor.name if sig and sig.supervisor else None, label("SUPERVISOR"))
    for review in plan.reviews:
        person(review.by, label("CLINICIAN"))
    if plan.safety_plan:
        for entries, default in (
            (plan.safety_plan.supports, label("SUPPORT")),
            (plan.safety_plan.crisis_contacts, label("CONTACT")),
        ):
            for entry in entries:
                if isinstance(entry, Contact):
                    person(entry.name, relation_label(entry.relation, default))
                    if entry.phone:
                        values.append((entry.phone, label("PHONE")))
                else:
                    people += discover(entry, entry=True)
    for text in plan_strings(plan):
        people += discover(text)
    if plan.client.member_id:
        values.append((plan.client.member_id, label("MEMBER ID")))
    if plan.clinician and plan.clinician.npi:
        values.append((plan.clinician.npi, label("NPI")))
    return Redactor(people, values, today)


def contact_text(name: str | None, relation: str | None, phone: str | None) -> str:
    """A structured support or contact as one line: "Karin (sister), 555-0142"."""
    head = " ".join(p for p in (name or "", f"({relation})" if relation else "") if p)
    return ", ".join(p for p in (head, phone or "") if p)
