"""Reading an objective's text the way a supervisor does: is there a time
frame, something to measure, a vague outcome, an impossible promise?

Deterministic and explainable: regular expressions over the lowercased
text, each finding the words that triggered it so a message can quote them.
The reading goes in three steps, because the same words mean different
things in different places:

1. Time frames are found first and taken out: numbers that only say *when*
   ("within 8 weeks", "for 6 weeks") measure nothing. A bounded period is a
   time frame as much as a deadline is; how long one episode lasts ("walk
   for 10 minutes") and a rate ("daily", "per month") are not.
2. Clauses that say how the objective is checked ("as measured by the
   BDI-II", "as tracked in a daily log", "per self-report") are judged by
   the measure they name: the instrument's name, and how often it is given,
   measure nothing by themselves; a score or count in them does.
3. What is left is searched for a measure (a number or count, a frequency,
   a percentage, a rating, a target score or band, a duration criterion, a
   yes/no product) and for a vague outcome (a state, construct or abstract
   outcome: "improve mood", "learn about anxiety", "reach potential").
   Vague quantities ("more", "fewer", "regularly", "improved") are not
   measures, so "sleep more hours per night" measures nothing.

tests/data/smart_corpus.yaml and benchmarks/smart_eval.py check these
readings against labeled statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_VALUE = {
    **{w: i for i, w in enumerate(_UNITS)},
    **_TENS,
    "a single": 1,
    "a couple of": 2,
    "a hundred": 100,
    "one hundred": 100,
}


# "one" is a pronoun as often as a number: "one another", "one's outlook",
# "a loved one", "no one", "one of" stays a number ("one of the two").
def _words(*words: str) -> str:
    """An alternation of literal words as a trie ("re(?:duce|gain)"): the
    regex engine then rejects most positions on the first letter, instead of
    trying every word in turn (these lists are searched in every statement)."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(c) + emit(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return "(?:" + emit(tree) + ")"


def _any(alternatives: list[str], first: str = "a-z0-9_") -> re.Pattern[str]:
    """One pattern for many alternatives, each starting a word with one of
    the `first` characters: the lookahead rejects every other position
    (spaces, punctuation) before the engine tries each alternative there."""
    return _gate("|".join(alternatives), first)


def _gate(pattern: str, first: str = "a-z0-9_") -> re.Pattern[str]:
    # Every alternative starts a word: testing that once, before trying each
    # alternative, skips the positions inside words too.
    return re.compile(f"\\b(?=[{first}])(?:{pattern})")


class _Lazy:
    """A pattern compiled when first used. These are needed by few
    statements, and every pattern compiled at import is start-up time in
    every `txplan lint`."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled.sub(repl, text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)


def _lazy_any(alternatives: list[str], first: str = "a-z0-9_") -> _Lazy:
    return _lazy("|".join(alternatives), first)


def _lazy(pattern: str, first: str = "a-z0-9_") -> _Lazy:
    return _Lazy(f"\\b(?=[{first}])(?:{pattern})")


_NUMBER_WORD = re.compile(
    # every number word starts with one of these letters
    rf"\b(?=[aefnostz])(?:({_words(*_TENS)})[- ]({_words(*_UNITS[1:10])})|({_words(*_WORD_VALUE)}))\b"
    r"(?!'s| another| day at a time)(?<!loved one)(?<!no one)(?<!every one)(?<!any one)"
)


def _digits(match: re.Match[str]) -> str:
    if match.group(1):
        return str(_TENS[match.group(1)] + _WORD_VALUE[match.group(2)])
    return str(_WORD_VALUE[match.group(3)])


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u00a0": " "})


def normalize(text: str) -> str:
    """Lowercase, with number words as digits ("Three times" -> "3 times"),
    so one small number pattern serves every rule and no pattern needs
    re.IGNORECASE (which makes these large patterns slower to compile), and
    a statement that opens with a gerund read as the verb ("Attending a
    group this week" as "attend a group this week"): published objectives
    are often listed that way."""
    # typographic quotes, en dashes ("3\u20134 times") and no-break spaces as typed on a keyboard
    words = text.lower().translate(_TYPOGRAPHY).split()
    if words and words[0].endswith("ing"):
        words[0] = _verbs_of_gerunds().get(words[0], words[0])
    return _NUMBER_WORD.sub(_digits, " ".join(words))


@cache
def _verbs_of_gerunds() -> dict[str, str]:
    """ "attending" -> "attend", "writing" -> "write", "getting" -> "get", for
    the verbs the rules know (one word each)."""
    out: dict[str, str] = {}
    for verb in {*_ACT_VERB_WORDS, *_VAGUE_VERB_WORDS}:
        if " " in verb or not verb.isalpha():
            continue
        stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
        out[stem + "ing"] = verb
        if (
            len(verb) > 2
            and verb[-1] not in "aeiouwxy"
            and verb[-2] in "aeiou"
            and verb[-3] not in "aeiou"
        ):
            out[verb + verb[-1] + "ing"] = verb  # get -> getting, plan -> planning
    return out


# a blank ("from ____ to ____ times per week") stands for a number the clinician fills in
# "x%", "X days a week": a letter standing for the number the clinician fills in
NUM = r"(?:\d+(?:[.,]\d+)?(?:\s*-\s*\d+)?|_{2,}|x(?=%)|\b[xyz](?= (?:days?|hours?|times?|minutes?|nights?|weeks?|sessions?)\b))"
# a number or a range in words: "6 to 8 weeks", "2 or 3 times"
# (a blank "within ___ weeks" names no deadline yet: C009 asks for it)
_NUMR = r"(?:\d+(?:[.,]\d+)?(?:(?:\s*-\s*| (?:to|or) )\d+)?)"
# Periods of the calendar or of treatment (not minutes or hours: those are
# how long one episode lasts).
_UNIT = r"(?:day|week|month|year|session|visit|appointment|night|weekend|semester|quarter)s?\b"
_UNIT1 = r"(?:day|week|month|year|session|visit|appointment|night|weekend|semester|quarter)\b"
# a run of occasions: "3 consecutive data collection days", "4 consecutive probes"
_RUN = (
    r"(?:[a-z-]+ ){0,3}?(?:day|week|month|session|visit|trial|probe|opportunit(?:y|ie)|observation|"
    r"class|classe|period|meal|dinner|lunch|breakfast|lesson|game|outing|shift)s?\b"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
# "the next 3 weeks", "the next month"; "the coming weeks" names no length
_SPAN = rf"(?:(?:{_NUMR}|a|an)[- ]{_UNIT}|{_UNIT1})"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = (
    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"twelfth|next|final|last|following)"
)
# what follows a unit when it is a rate, not a period: "3 days a week", "5 of 7 days"
_NOT_A_RATE = (
    r"(?! ?(?:a|an|per|each|every|/|out of|in a month|in a week)\b| of (?:the|each|every) )"
)
_EVENT = (
    r"(?:session|appointment|visit|meeting|review|plan review|treatment plan review|"
    r"progress review|re-?assessment|assessment|evaluation|check-?in|follow-?up|"
    r"week|month|quarter|semester|term|school year|year|weekend)"
)
_DEADLINE_WORD = r"(?:by|before|until|till|prior to|no later than|on or before|at|in|during|for|to)"

TIME_FRAME = _any(
    [
        # within 8 weeks / within the next month / within 30 days of intake
        rf"\bwithin (?:the )?(?:(?:next|first|coming|following) )?{_SPAN}"
        r"(?: (?:of|after|from) (?:the )?(?:start|beginning|treatment|therapy|intake|starting|admission|this plan))?",
        # in 4 weeks / after 6 sessions / in the next month / during the first 2 weeks
        rf"\b(?:in|after) (?:the )?(?:(?:next|coming|following|first) )?{_NUMR}[- ]{_UNIT}{_NOT_A_RATE}",
        rf"\b(?:in|for|over|during|across|throughout|within) the (?:next|coming|following|first|upcoming|remaining|last) {_SPAN}",
        # for 6 weeks / for 30 consecutive days / for a month (a bounded period, not a rate)
        rf"\bfor (?:at least |a minimum of |a period of |approximately |about |around |a total of |another |an additional )?"
        rf"(?:{_NUMR}|a|an)[- ](?:(?:consecutive|straight|full|more|additional|continuous|successive)[- ])?{_UNIT}{_NOT_A_RATE}",
        rf"\bfor {NUM}\s*(?:/|out of|of)\s*{NUM} (?:consecutive )?{_UNIT}",
        # over 8 weeks / over a two-week period / over the course of 3 months
        rf"\bover (?:a |an |the )?(?:(?:period|course|span) of )?{_SPAN}(?: (?:period|span|window|time ?frame))?",
        rf"\b(?:during|in|within|across|throughout|for) (?:a|an|the|this|1) {_NUMR}[- ]{_UNIT} ?(?:period|span|window|time ?frame|trial|block|program)",
        # this week / next month / today
        r"\b(?:this|next) (?:week|month|semester|term|quarter|school year|year|weekend|session|summer|fall|spring|winter)\b",
        rf"\b(?:by|before|on|this|next|until) (?:\d{{1,2}}(?::\d\d)?(?: ?[ap]\.?m\.?)? (?:on )?)?{_WEEKDAY}",
        # a benchmark by month: "Oct 30% | Jan 40% | March 50%"
        rf"\b{_MONTH}\.? {NUM}\s*%",
        rf"\b{NUM}[- ](?:day|week|month)s?(?= (?:[a-z]+ )?(?:program|course|group|treatment|stay|residential)\b)",
        r"\b(?:today|tonight|tomorrow)\b",
        # hours of a stay
        r"\bafter \d+ hours? of\b",
        r"\b(?:by the end of|during|for|in|throughout) (?:the )?20\d\d-(?:20)?\d\d (?:school |academic |fiscal )?year\b",
        # inpatient deadlines: "within 24 to 48 hours" (not "within 2 hours of waking")
        r"\bwithin (?:the (?:next|first) )?(?:\d+ ?(?:-|to) ?)?(?:12|24|36|48|72|96) hours\b(?! of)",
        rf"\b(?:an?|1|{_NUMR}) (?:entire|whole|full) {_UNIT}",
        rf"\b(?:for|across|over|during|on|in) {NUM} (?:(?:/|out of|of) {NUM} )?(?:consecutive|successive|straight) {_RUN}",
        # by next session / before the next appointment / at the following review
        rf"\b{_DEADLINE_WORD} (?:the |her |his |their |our |your |my )?(?:next|following|upcoming) (?:[a-z-]+ ){{0,2}}?{_EVENT}",
        # one bounded occasion: "during the shift", "by the end of this session"
        r"\b(?:during|by the end of|before the end of) (?:the|this) (?:shift|session|visit|appointment|school day|class period)\b",
        # by session 6 / by week 10 / by the 4th session / by the end of month 2
        rf"\bby (?:the )?(?:end of )?(?:the )?(?:(?:session|visit|week|month|appointment|day)\s*#?\s*{NUM}\b|{_ORDINAL} (?:session|visit|week|month|appointment|review|quarter|semester|term|grading period|marking period))",
        # by the end of 8 weeks / at the end of the 12-week program
        rf"\b(?:at|by) the end of (?:the )?(?:first |next )?{_NUMR}[- ]{_UNIT}",
        r"\bby (?:the end of )?(?:fy ?)?20\d\d\b",
        # by the end of the school year / by March / by summer
        rf"\b(?:by|before|until|through|no later than) (?:the )?(?:end of (?:the |this )?)?(?:school year|semester|term|quarter|month|year|week|summer|fall|spring|winter|iep (?:year|period)|grading period|marking period|{_MONTH}\b)",
        r"\b(?:for the (?:rest|remainder|duration) of|throughout|during|within|over|in) (?:the |this )?(?:current |academic |coming |upcoming )*(?:school year|semester|term|quarter|summer|grading period|marking period|iep (?:year|period))\b",
        # "for the rest of the month", "for the remainder of this week"
        r"\bfor the (?:rest|remainder) of (?:the |this )?(?:week|month|year)\b",
        # by the 90-day review / at the 6-week check-in
        rf"\b(?:by|before|at|until) (?:the )?(?:\d+-(?:day|week|month)|{_ORDINAL}|quarterly|annual|mid-?point|monthly|weekly) (?:plan |treatment plan |progress |iep )?(?:review|re-?assessment|check-?in|evaluation|follow-?up|appointment|session|meeting)",
        # at 8 weeks / at week 12
        rf"\bat (?:the )?(?:{NUM}[- ](?:week|month|day)s?|(?:week|month|session) {NUM}\b)(?: (?:mark|point|follow-?up|review))?",
        # dates
        rf"\b(?:from|between) {_MONTH}\w*\.?(?: \d{{1,2}}(?:st|nd|rd|th)?)?(?:,? \d{{4}})? ?(?:-|to|through|thru|until|and) ?{_MONTH}",
        rf"\b(?:finishing|ending|ends|through|thru|till) {_MONTH}\w*\.? \d{{1,2}}",
        r"\b(?:by|before|until|no later than|on or before) \d{4}-\d{1,2}-\d{1,2}",
        r"\b(?:by|before|until|no later than|on or before) \d{1,2}/\d{1,2}(?:/\d{2,4})?",
        rf"\b(?:by|before|until|no later than|on or before) {_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?",
        # 8 weeks from now / 30 days after intake
        rf"\b{_NUMR}[- ]{_UNIT} (?:from|after|of|following|post)[- ](?:now|today|intake|the start|starting|admission|the beginning|beginning|this plan|the plan|treatment start|enrollment)",
        r"\bbefore (?:the )?(?:next |\d+-day )?(?:review|plan review)",
        # inpatient deadlines: "after 24 hours", "after 8 hours" (not "after 2 hours of sleep")
        r"\bafter (?:\d+ ?(?:-|to) ?)?\d+ hours?\b(?! of (?:wak|sleep|school|work))",
        # "1 month after initiating therapy", "two weeks after starting the medication"
        rf"\b{_NUMR}[- ]{_UNIT} (?:after|of|following) (?:initiating|starting|beginning|entering|"
        r"admission|discharge|the first session|treatment|therapy)",
        # "from the fourth week till the sixth week"
        rf"\b(?:from|between) (?:the )?{_ORDINAL} (?:week|month|session|day) (?:till|until|to|through|and) ",
        # one coming occasion: "before family session", "before the scheduled appointment"
        r"\bbefore (?:the |a |our |his |her |their )?(?:(?:family|group|individual|first|second|"
        r"third|scheduled|planned) )(?:therapy )?(?:session|appointment|visit|meeting)\b",
        # a published template's blank deadline: "by [date]", "by [Month] 8, [Year]"
        r"\bby \[(?:date|target date|month|mm/dd/yy(?:yy)?)\]",
    ],
    first="abdefinoptuw0-9_",
)

# Clauses saying how the objective is checked. How often a method is used
# ("bi-weekly administration", "a daily log") is not a measure of the client.
_METHOD = _gate(
    r"\b(?:as )?(?:measured|tracked|recorded|assessed|monitored|administered|logged|documented|"
    r"reported|noted|rated|verified|charted|screened|scored)"
    r" (?:by|on|in|through|via|with|using|per|at|during)\b[^,;.]*"
    r"|\b(?:per|via|using|through) (?:a |an |the |her |his |their |client's |weekly |daily )*"
    r"(?:self-?|client |parent |teacher |staff |therapist |clinician |collateral )?"
    r"(?:report|log|diary|journal|chart|record|tracker|app|observation|check-?in)s?\b[^,;.]*"
)
# IEP conditions ("Given a 15-minute period, ...", "When given a choice of
# two, ...") set the scene, not the criterion; hedges ("if possible") neither.
_METHOD_WORDS = (
    *("ed by", "ed on", "ed in", "ed through", "ed via", "ed with", "ed using", "ed per", "ed at"),
    *("ed during", "per ", "via ", "using ", "through "),
)
_CONDITION = _Lazy(r"(?:^|[.;] )(?:when |if )?given (?:a |an |the )?[^,]*,")
_HEDGE = _Lazy(r", (?:if possible|as able|if able|when ready|as appropriate),")
_FREQUENCY = _gate(
    r"\b(?:daily|nightly|weekly|bi-?weekly|bi-?monthly|monthly|every (?:other )?\w+|each \w+)\b"
)

_BAND = (
    r"(?:minimal|mild|moderate|moderately severe|severe|extremely severe|extreme|normal|"
    r"borderline|sub-?clinical|non-?clinical|clinical|low|high)"
)
_FREQ_WORD = (
    r"(?:daily|nightly|weekly|bi-?weekly|twice-weekly|monthly|bi-?monthly|hourly|"
    r"weeknights|weekdays|"
    r"every (?:other )?(?:day|night|morning|evening|afternoon|weekday|week|weekend|session|time|meal|"
    r"school day|shift|class|meeting|appointment|visit|month)|"
    r"each (?:day|night|morning|evening|afternoon|school day|week|weekday|weekend|session|time|meal|"
    r"class|meeting|appointment|visit|shift|period|practice|month|workday)|"
    r"(?:at|in|during) (?:every|each) (?:\w+ )?(?:session|appointment|class|meeting|visit))"
)
# "daily" before these is an adjective of a state, not a frequency: "daily functioning"
_NOT_FREQ = (
    r"(?! (?:life|living|functioning|function|activities|activity|routines?|stress|stressors|worry|"
    r"worries|responsibilities|tasks|mood|struggles|hassles|challenges|basis of)\b)"
)
_PRODUCT_NOUN = (
    r"(?:budget|safety plan|relapse prevention plan|crisis plan|plan|list|worksheet|application|"
    r"resume|letter|hierarchy|timeline|log|contract|schedule|homework|assignments?|paperwork|"
    r"intake|assessment|evaluation|course|program|class|ged|degree|diploma|referral|inventory|"
    r"genogram|journal entry|diary|journal|record|tracker|chain analysis|pros and cons list|decisional balance|"
    r"exposure hierarchy|values assessment|release|form|screening|test|tests|testing|exam|examination|"
    r"physical|questionnaires?|interview|consultation)"
)
# Verbs of a one-time act whose result can be checked yes or no; with a
# single object ("schedule an appointment", "attend an AA meeting").
_ACT_VERB_WORDS = (
    *[
        "schedule",
        "book",
        "make",
        "complete",
        "finish",
        "submit",
        "sign",
        "create",
        "write",
        "draft",
        "develop",
        "obtain",
        "get",
    ],
    *[
        "find",
        "secure",
        "join",
        "attend",
        "visit",
        "contact",
        "call",
        "open",
        "file",
        "identify",
        "choose",
        "select",
    ],
    *[
        "establish",
        "arrange",
        "purchase",
        "buy",
        "read",
        "start",
        "begin",
        "see",
        "tour",
        "text",
        "email",
    ],
    *("enroll in", "register for", "apply for", "apply to", "set up", "return to", "move into"),
    *("move to", "graduate from", "sign up for", "meet with", "interview with"),
    *("reconnect with", "reach out to", "go to", "participate in", "cooperate with", "submit to"),
    "undergo",
)
_ACT_VERB = _words(*_ACT_VERB_WORDS)

# Outcomes that are states or constructs, not behaviors (the S in SMART):
# a vague verb within a few words of an abstract construct ("improve her
# self-image", "manage panic symptoms", "reach her potential"), a feeling or
# state ("feel better", "be more confident"), an unobservable verb ("learn",
# "understand"), or an evaluative word with nothing to count ("express anger
# appropriately", "tolerate uncertainty better", "improved functioning").
_CONSTRUCT = (
    # abstract nouns of a quality or state: "irritability", "impulsivity", "loneliness"
    r"(?:sense of [\w-]+|(?!intensity|severity|quantity|activity|community|opportunity|tardiness|lateness|illness|business)[a-z-]{3,}+(?:(?<=ity)|(?<=ness))|"
    + _words(
        *[
            "stress",
            "anxiety",
            "depression",
            "symptom",
            "symptoms",
            "mood",
            "moods",
            "anger",
            "sadness",
            "emotion",
            "emotions",
        ],
        *[
            "feeling",
            "feelings",
            "worry",
            "worries",
            "grief",
            "self-esteem",
            "self-image",
            "self-concept",
            "self-worth",
        ],
        *[
            "self-awareness",
            "self-confidence",
            "self-acceptance",
            "self-respect",
            "self-efficacy",
            "self-love",
        ],
        *[
            "confidence",
            "insight",
            "insights",
            "awareness",
            "understanding",
            "knowledge",
            "resilience",
            "coping",
            "skills",
        ],
        *[
            "regulation",
            "control",
            "functioning",
            "well-being",
            "wellbeing",
            "wellness",
            "health",
            "relationship",
        ],
        *[
            "relationships",
            "communication",
            "boundaries",
            "outlook",
            "perspective",
            "mindset",
            "potential",
            "goals",
        ],
        *[
            "hope",
            "hopefulness",
            "motivation",
            "trust",
            "acceptance",
            "uncertainty",
            "distress",
            "negativity",
            "issues",
        ],
        *[
            "healing",
            "stability",
            "self-compassion",
            "pattern",
            "patterns",
            "trauma",
            "past",
            "childhood",
            "loss",
        ],
        *[
            "divorce",
            "bond",
            "attunement",
            "tension",
            "closeness",
            "progress",
            "worth",
            "connection",
            "connections",
            "cycle",
            "attitude",
            "life",
            "respect",
            "patience",
            "hygiene",
            "self-care",
            "independence",
        ],
        *[
            "responsibility",
            "identity",
            "purpose",
            "meaning",
            "values",
            "growth",
            "balance",
            "peace",
            "happiness",
            "joy",
        ],
        *[
            "support",
            "behavior",
            "behaviors",
            "behaviour",
            "behaviours",
            "sleep",
            "thinking",
            "habits",
            "lifestyle",
        ],
        *("strategies", "techniques", "tools", "ways", "methods", "dynamics", "information"),
        *("education", "socialization", "self-talk", "energy", "interest", "enjoyment", "pleasure"),
        "mood swings",
        "coping skills",
        "quality of life",
        "support network",
        "support system",
    )
    + ")"
)
# Measures with a number in them, searched only when the text has one (after
# the time frame is out), and measures in words.
_MEASURE_NUM = _any(
    [
        rf"\bfrom (?:about |approximately |around |a score of )?{NUM}\b.{{0,40}}?\bto (?:about |a score of )?{NUM}\b",
        rf"\b(?:to|at|below|under|above|over|at or below|at or above|of) (?:a |an )?(?:score of |average of |rating of )?{NUM}(?:/\d+)?\b",
        rf"\b{NUM} or (?:fewer|less|more|below|above|lower|higher|greater|under|better)\b",
        rf"\b(?:at least|no more than|not more than|fewer than|less than|more than|at most|up to|a minimum of|a maximum of|under|over|below|above|(?:reduce|decrease|increase|improve|lower)[sd]? by|reduction of|decrease of|increase of) {NUM}\b",
        rf"\b{NUM} (?:out )?of (?:the )?(?:{NUM}|every|all)\b",
        rf"\b{NUM}\s*/\s*(?:10|100|5|7)\b",
        rf"\b{NUM}\s*(?:%|percent)",
        rf"\b{NUM}-?(?:point|pt)s?\b",
        rf"\b(?:{NUM}|once|twice|thrice)\s*(?:x|times?)?\s*(?:a|per|each|every|/)\s*(?:day|week|month|night|session|evening|morning|weekday)\b",
        # A number followed by a word is a count ("3 coping skills", "5 drinks"):
        # time frames and instrument names are taken out before this runs.
        # A blank after "with", "about"... holds a name, not a number ("conflict with ____").
        rf"\b(?!(?<=with )_|(?<=about )_|(?<=of )_|(?<=and )_){NUM}\+?\s*x?\s*[a-z]",
        r"\b(?:rate[sd]?|rating|scale|score[sd]?|suds)\b.{0,30}\d",
        rf"\b{NUM} (?:[a-z-]+ ){{1,3}}(?:a|per|each|every) (?:day|week|month|night|weekend|school day|session)\b",
        r"\b(?:through step|steps?) \d+\b",
        r"\bby \d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)",
        r"\bwithin \d+ minutes\b",
    ],
)
_MEASURE_WORDS = _lazy_any(
    [
        # "once" as a count, not "he once believed", "activities you once enjoyed"
        r"\b(?<!you )(?<!he )(?<!she )(?<!they )(?<!i )(?<!we )(?:once|twice|thrice)\b"
        r"(?! (?:believed|thought|was|were|had|did|enjoyed|loved|felt|liked)\b)",
        rf"(?<!number of )(?<!frequency of )(?<!amount of )\b{_FREQ_WORD}\b{_NOT_FREQ}",
        r"\b(?:each|every) (?!other\b|effort\b|attempt\b|now and then\b)[a-z-]+",
        r"\b(?:zero|no) (?:[a-z-]+ ){0,2}(?:incidents?|episodes?|drinks?|days?|attacks?|instances?|use|occurrences?|absences?|referrals?|suspensions?|missed)\b",
        r"\b(?:exhibit|show|display|have|has|report)s? no (?:[a-z-]+ ){0,2}(?:signs?|symptoms?|evidence)\b",
        # acted out where it is seen: "demonstrate I-statements in role-play"
        r"\b(?:in|during|through) (?:a |the )?role-?plays?\b|\brole-?plays? (?:[a-z-]+ ){0,6}?in (?:session|group)\b",
        # "never argue again": a count of zero (S003 judges whether it is realistic)
        r"\bnever (?:argue|drink|use|cut|self-harm|hit|smoke|miss|skip|yell|fight)s?\b",
        r"\bno longer (?!be\b)[a-z-]+",
        # "not" as the verb's own negation ("will not", "to not", "Not harm
        # himself"), not "better, not worse"
        r"(?:^not |\b(?:won't|will not|not once|stop|quit|cease|refrain from|(?:to|do|does|must|and|or) not) )"
        r"(?!be\b|feel|get\b|become\b|have to|need to|only\b|just\b|as\b|more\b|less\b|to\b|and\b|worry|think|"
        r"assum|believ|obsess|ruminat|dwell|blam)[a-z-]+",
        # an achieved status is a yes/no result: "be married by the end of the year"
        r"\b(?:be|become|get|is) (?:married|engaged|employed|enrolled|hired|licensed|certified|housed|discharged|promoted|graduated|reunified|reunited)\b",
        r"\bfree (?:of|from) [a-z-]+",
        r"\b100\s*%",
        # a target band on an instrument: "from severe to moderate", "to the mild range"
        rf"\bfrom (?:the )?{_BAND}(?: range| level| category)? (?:range )?to (?:the )?{_BAND}\b",
        rf"\b(?:to|into|within|in|at|below) (?:the )?{_BAND} (?:range|level|category|band|severity)\b",
        r"\bbelow (?:the )?(?:clinical )?(?:cut-?off|threshold)\b",
        r"\b(?:full[- ]time|part[- ]time)\b",
        r"\b(?:all|every|each) (?:of (?:her|his|their|the) )?(?:[a-z-]+ ){0,2}(?:appointments|sessions|meetings|classes|shifts|assignments|doses|visits|bills|tasks|chores|payments|homework)\b",
        r"\bon time\b",
        r"\b(?:all|every) (?:scheduled |assigned |required |court-ordered |prescribed )(?:[a-z-]+ ){0,3}?(?:appointments|sessions|meetings|classes|groups|documentation|paperwork|forms|assignments|doses|visits)\b",
        # abstinence is a yes/no criterion, a screen checks it: "abstain from alcohol", "negative screens"
        r"\b(?:abstain(?:s|ed)?|abstinen(?:t|ce)|remain(?:s|ed)? abstinent) from\b",
        # a task named as a noun: "completion of relapse prevention plan"
        r"\b(?:completion|submission) of\b",
        r"\b(?:negative|clean|random|urine|drug|breathalyzer) (?:urine |drug |toxicology )?(?:screens?|tests?|uas?|results?)\b",
    ],
)
_HAS_NUMBER = re.compile(r"\d|__|x%|\b[xyz] [dhtmnws]")

# An observable yes/no result of a one-time act measures it ("complete a
# written safety plan", "return to work", "attend an AA meeting"), unless the
# objective asks for a vague amount of it ("finish homework more often").
_PRODUCT = _lazy_any(
    [
        rf"\b(?:complete|create|write|develop|draft|make|finish|submit|fill out|sign|turn in|hand in|obtain|compile|construct|build|keep|maintain|undergo|cooperate with|participate in|submit to|schedule|take|determine|devise|formulate|prepare|establish|design|outline) (?:a |an |the |her |his |their |all )?(?:written |personal |individualized )?(?:[a-z0-9-]+ ){{0,4}}{_PRODUCT_NOUN}\b",
        r"\b(?:call|contact|visit|email|text|phone|write to) (?:the|her|his|their) (?:[a-z-]+ ){0,3}?(?:office|school|clinic|agency|program|counselor|doctor|teacher|sponsor|caseworker|case manager|landlord|employer|probation officer|lawyer|attorney|hotline)\b",
        # a description or history given once: "describe the conflicts", "provide developmental history"
        r"\bdescribe[sd]? (?:[a-z'/,-]+ ){0,3}?(?:the |her |his |their |my |current |past |any )?[a-z'/-]+",
        r"\b(?:provide|give|disclose|report|share)[sd]? (?:a |an |the |her |his |their |any )?(?:[a-z,-]+ ){0,4}?(?:history|information|description|account|timeline)\b",
        r"\breturn to (?:full-time |part-time |her |his |their |the )?(?:work|school|job|class|classes|college|university|office|workplace|employment|driving|sports|practice|team|gym|church)\b",
        r"\b(?:enroll in|obtain|graduate|apply (?:for|to)|move (?:into|to)|get (?:a|her|his|their) (?:job|license))\b",
        # a status gained or kept: "secure employment", "maintain stable housing"
        r"\b(?:secure|obtain|find|get|gain|regain|maintain|keep|apply for)(?:s|ed|d)? (?:stable |safe |full-time |part-time |permanent |new |independent )?(?:employment|housing|insurance|benefits|childcare|child care|transportation|custody|a sponsor|(?:a |her |his |their )?job|work)\b",
        r"\b(?:remain|stay)s? out of (?:the )?(?:hospital|jail|prison|jail/prison|detention|juvenile hall|inpatient care)\b",
        r"\bpass(?:es|ed)? (?:a |an |the |her |his |their |all )?(?:[a-z-]+ )?(?:exam|test|class|course|screen|grade|ged)s?\b",
        r"\b(?:verbalize|state|name|identify|explain|tell|share|write down|disclose|report|list)(?:s|d|ed)? (?:to [a-z]+ )?(?:the|a|an|1|her|his|their|my) (?P<told>)(?:[a-z'-]+ ){0,2}?[a-z'-]*[^s\W](?= (?:of|for|behind|to|with|in|that|at|from|between)\b|[.,;]|$)",
        r"\b(?:read|watch|view|listen to)(?:s|ed)? (?:the|a|an|1) (?:book|chapter|article|pamphlet|video|film|workbook|handout|story|podcast|booklet|material)",
        rf"\b{_ACT_VERB}(?:s|es|ed|d)? (?:a|an|1) (?P<done>)[a-z'-]+",
    ],
    first="a-z",
)
# What the act of _PRODUCT is done to must be a thing, not a construct:
# "develop a plan" can be checked, "develop a support network" cannot.
_NOT_A_THING = _Lazy(
    rf"(?:[a-z'-]+ )?{_CONSTRUCT}\b|(?:sense|better|more|healthy|healthier|positive|new way|reasonable|(?:family )?culture|"
    r"(?:progressive |gradual |significant )?(?:decrease|reduction|increase|improvement|change))\b"
)


# "make a choice when asked": a one-time act done on a condition is a habit
_WHENEVER = re.compile(r"\b(?:when|whenever|if|each time|every time)\b")


def _product(text: str) -> str | None:
    for match in _PRODUCT.finditer(text):
        for group in ("told", "done"):
            start = match.start(group)
            if start >= 0 and (
                _NOT_A_THING.match(text, start) or _WHENEVER.search(text, match.end())
            ):
                break
        else:
            return match.group(0).strip()
    return None


_VAGUE_AMOUNT = _lazy(
    r"\b(?:more|less|fewer|better|regularly|consistently|frequently|often|increased|improved|"
    r"decreased|reduced|greater|reliably)\b(?: [a-z-]+)?"
)
# Words about time that bound nothing, quoted by S005's message.
_LOOSE_TIME = _lazy(
    r"\b(?:by|at|before|until) (?:the )?(?:end of |time of )?(?:treatment|therapy|counseling|discharge|"
    r"termination)\b|\b(?:ongoing|on an ongoing basis|as needed|soon|eventually|over time|"
    r"at some point|in the future|someday|immediately|long-term|in the long run)\b"
)

# A duration criterion of a behavior measures it, although it is also a
# time frame: "abstinent for 30 consecutive days", "5 weeks in a row".
_DURATION_WORDS = (
    *("consecutive", "successive", "straight", "entire", "whole", "full", "in a row", "abstain"),
    *("abstinen", "sober", "sobriety", "clean", "free ", "without"),
)
_DURATION_MEASURE = _lazy(
    rf"\b{NUM} (?:consecutive|successive|straight) {_RUN}|"
    rf"\b(?:an?|1|{NUM}) (?:entire|whole|full) {_UNIT}\b.{{0,30}}?\bwithout\b|"
    rf"\b{NUM}[- ](?:consecutive|straight|continuous|successive)[- ]{_UNIT}|\b{NUM}[- ]{_UNIT} in a row\b|"
    rf"\b(?:abstain\w*|abstinen\w+|sober|sobriety|clean|free (?:of|from)|without (?:any )?[a-z-]+)\b.{{0,40}}?\bfor (?:at least )?(?:{NUM}|a|an)[- ]{_UNIT}"
)

# Instruments outside the catalog that plans name often: naming one pins a
# vague outcome to a score (S001), though without a target it measures
# nothing (S002). Lowercase, as read() sees the text.
_OTHER_INSTRUMENT = _gate(
    r"\b(?:"
    + _words(
        *[
            "bdi",
            "bdi-ii",
            "bdi-2",
            "bdi2",
            "bai",
            "bhs",
            "ham-d",
            "ham-a",
            "hdrs",
            "madrs",
            "cgi",
            "cgi-s",
            "cgi-i",
            "suds",
            "dass",
            "dass-21",
        ],
        *[
            "k10",
            "k-10",
            "k6",
            "k-6",
            "asrs",
            "vanderbilt",
            "conners",
            "conners-3",
            "cdi",
            "cdi-2",
            "rcads",
            "sdq",
            "mfq",
            "c-ssrs",
        ],
        *[
            "cssrs",
            "columbia",
            "oq-45",
            "oq45",
            "core-10",
            "pss",
            "pss-10",
            "pcl",
            "pcl-c",
            "pcl-m",
            "caps-5",
            "ies-r",
            "eat-26",
        ],
        *[
            "ede-q",
            "cy-bocs",
            "ymrs",
            "mdq",
            "whodas",
            "cd-risc",
            "lsas",
            "pswq",
            "oci-r",
            "ders",
            "cbcl",
            "brief-2",
            "ace-q",
        ],
        *("outcome rating scale", "session rating scale", "beck depression inventory"),
        *("beck anxiety inventory", "beck hopelessness scale", "hamilton rating scale"),
    )
    + r")\b"
)
# "the Beck Depression Inventory", "a worry checklist": a named scale
_SCALE_WORDS = ("inventory", "questionnaire", "checklist", "rating scale", "screener")
_NAMED_SCALE = _lazy(
    r"\b(?:[a-z-]+ ){1,3}(?:inventory|questionnaire|checklist|rating scale|screener)\b"
)

# states of feeling: "less anxious", "more confident"
_STATE = _words(
    *[
        "anxious",
        "depressed",
        "sad",
        "angry",
        "irritable",
        "stressed",
        "worried",
        "fearful",
        "afraid",
        "scared",
        "nervous",
    ],
    *[
        "tense",
        "overwhelmed",
        "hopeless",
        "hopeful",
        "confident",
        "calm",
        "relaxed",
        "happy",
        "content",
        "positive",
    ],
    *[
        "negative",
        "motivated",
        "secure",
        "insecure",
        "lonely",
        "guilty",
        "ashamed",
        "upset",
        "frustrated",
        "agitated",
    ],
    *[
        "stable",
        "optimistic",
        "empowered",
        "comfortable",
        "connected",
        "resentful",
        "self-critical",
        "withdrawn",
    ],
    "energetic",
)
_VAGUE_VERB_WORDS = (
    *[
        "improve",
        "increase",
        "decrease",
        "reduce",
        "lower",
        "manage",
        "control",
        "build",
        "develop",
        "gain",
        "enhance",
    ],
    *[
        "boost",
        "regain",
        "strengthen",
        "lessen",
        "alleviate",
        "address",
        "overcome",
        "resolve",
        "eliminate",
        "process",
    ],
    *[
        "explore",
        "understand",
        "accept",
        "tolerate",
        "experience",
        "demonstrate",
        "report",
        "show",
        "learn",
        "change",
    ],
    *[
        "shift",
        "reach",
        "achieve",
        "attain",
        "restore",
        "foster",
        "cultivate",
        "promote",
        "nurture",
        "find",
        "grow",
    ],
    *("maximize", "maintain", "heal", "acquire", "seek", "gather"),
    # reshaping a way of thinking: "correct irrational thinking", "reflect my core values"
    *("correct", "modify", "reframe", "reflect", "alter", "transform"),
    *("work toward", "move toward", "focus on", "learn about", "work on", "work through"),
    *("deal with", "cope with"),
)
_VAGUE_VERB = _words(*_VAGUE_VERB_WORDS)
# "improving", "reducing": the -ing form drops the verb's final e
_VAGUE_ING = _words(
    *(w[:-1] + "ing" for w in _VAGUE_VERB_WORDS if w.endswith("e") and " " not in w)
)
_VAGUE = _lazy_any(
    [
        # a vague verb, or a vague amount, of a state or construct: "improve her
        # self-image", "less anxiety"; "less anxious", "be anxious"
        rf"\b(?:(?:{_VAGUE_VERB}(?:s|d|ed|ing|es)?|{_VAGUE_ING})\b(?: [\w'-]+){{0,3}}?|"
        rf"(?:less|fewer|lower|reduced|decreased|more|increased|improved|better|greater|higher)"
        rf"(?: [\w-]+)?) {_CONSTRUCT}\b",
        rf"\b(?:less|more|(?:be|feel|get|become|remain|stay)(?: \w+)?) {_STATE}\b",
        r"\bfeel(?:s|ing)?\b(?: \w+){0,3}",
        # an inner process by a vague amount: "worrying less", "ruminate less often"
        r"\b(?:worry|worrying|ruminate|ruminating|obsess|obsessing|overthink|overthinking|stress|stressing|dwell|dwelling|isolate|isolating|withdraw|withdrawing)(?: about [\w-]+)? (?:less|more)\b",
        r"\b(?:be|become|get|remain|stay)(?: \w+)? (?:happier|happy|calmer|calm|better|healthier|less \w+|more \w+|cured|in control|aware)\b",
        r"\b(?:adequate|optimal|perfect(?:ly)?(?! attendance)|ways? (?:of coping|to cope)|better|appropriately|potential|the right way|the correct way|effectively|healthier|healthy|positively|adequately|successfully|properly|in control|more in control|emotionally stable|stable)\b",
        r"\bwork(?:s|ing)? on\b",
        r"\b(?:cope|deal)s? (?:better|with)\b",
        # unobservable verbs: what no one can see happen
        r"\blearn(?:s|ed|ing)? (?:about|how|to|more|that|what|why)\b|\blearn(?:s|ed|ing)?\b(?! and (?:demonstrate|practice|use|apply))",
        r"\b(?:understand|realize|appreciate|know|comprehend|believe|assume|assuming|process|processes|processed|processing)(?:s|ed)?\b(?: (?:to|about|how|that|more|the|in))?",
        r"\btake (?:steps|action|measures)\b",
        r"\b(?:advocate[sd]? for|investigate[sd]?|consider(?:s|ed)?|reflect(?:s|ed)? on|contemplate[sd]?|look(?:s|ed)? into)\b",
        r"\btowards? (?:[\w-]+ ){0,3}goals\b",
        r"\blearn to love\b",
        r"\bstop worrying\b",
        r"\bcontinue (?:therapy|treatment|counseling)\b",
        r"\bbe able to (?:manage|cope|handle|control)\b",
        # the clinician's aim, not the client's behavior: "help the client express emotions"
        r"\b(?:help|assist|enable|facilitate)(?:s|ing)? (?:the |a )?(?:client|patient|member|youth|consumer|child|individual)s?\b|\bprovide (?:the )?(?:client|patient|individual)s? with\b|\bfacilitate\b|\breintegrat\w*|\bequip\b",
        # outcomes named as nouns or states: "reduction of anxiety", "get over ex",
        # "becoming more active", "a stronger social circle", "be honest"
        rf"\b(?:reduction|decrease|improvement|increase|lessening|management|resolution) (?:of|in) (?:[\w'/-]+ ){{0,5}}?(?:{_CONSTRUCT}|problems)\b",
        r"\bacceptance of\b",
        r"\b(?:engage|participate)s? in (?:[\w-]+ ){0,2}goals\b",
        r"\bmakes? (?:healthy |good |better |own |sound )?decisions\b",
        r"\bget(?:s|ting)? over\b",
        r"\b(?:being|becoming|getting|having|feeling) (?:a |an )?(?:more|less|stronger|healthier|closer|better|happier|calmer)\b",
        r"\b(?:be|being|become|becoming) (?:more )?(?:honest|open|mindful|present|kinder|patient|assertive)\b",
        r"\b(?:rebuild|restore|repair)(?:s|ing)? (?:[\w'-]+ ){0,2}?(?:trust|relationships?|connections?|bonds?)\b",
        # working on a conflict, not ending it in a way anyone can see
        r"\b(?:explore|resolve|work through|process)(?:s|d|ing)? (?:and (?:resolve|discuss) )?(?:the |any |her |his |their |my )?conflicts?\b",
        r"\b(?:family |a )?culture of\b",
        # an outcome stated as a passive result: "self-esteem increased", "anxiety decreased"
        rf"\b{_CONSTRUCT} (?:[\w-]+ )?(?:decreased|increased|improved|reduced|lessened|enhanced|recognized|implemented|resolved|addressed)\b",
        r"\b(?:to|at) a manageable level\b|\bplanning for (?:the )?future\b|\b(?:fulfillment|sense of purpose)\b",
        r"\b(?:effective|adaptive|maladaptive) (?:coping|strategies|mechanisms|skills)\b",
        r"\bin an? (?:respectful|healthy|healthier|positive|appropriate) (?:way|manner)\b",
        r"\b(?:positive|negative|appropriate) behaviou?rs?\b",
        r"\b(?:creating|create|build|building) (?:a )?safe spaces?\b",
        r"\b(?:affection|intimacy|emotional strain|structure|involvement)\b",
        r"\b(?:without (?:any )?(?:difficulty|difficulties|problems|issues)|with ease)\b",
        r"\b(?:engage|participate)s? in (?:more )?appropriate\b",
        # compliance is an attitude, not a behavior: "be compliant with treatment"
        r"\b(?:compliant|adherent|comply) with (?:the |all |his |her |their )?(?:treatment|recommendations|regimen|program|plan|process)\b",
    ],
    first="a-z",
)

# Saying what one understands is observable speech: "verbalize an understanding of ...".
_SPOKEN_WORDS = ("understanding", "awareness", "knowledge", "insight")
_SPOKEN = _lazy(
    r"\b((?:verbalize|state|describe|explain|express|write|list|tell)(?:s|d)?) "
    r"(?:an |a |the |his |her |their |my )?(?:understanding|awareness|knowledge|insight)\b"
)
_WHEN = re.compile(r"\b(?:when|whenever|while|if) [^,;.]*")
# What a behavior is for ("practice breathing to reduce anxiety") is not its
# outcome; "work to reduce anxiety" has no other.
_PURPOSE = _Lazy(
    r"\b([a-z-]+) (?:in order )?to (?:help )?(?:reduce|decrease|lessen|manage|improve|increase|cope|aid|"
    r"alleviate|address|control|lower|minimize|prevent|promote|support|enhance|build|calm|soothe|relieve)"
    r"\b[^,;.]*"
)
_NO_BEHAVIOR = frozenset(
    [
        "work",
        "try",
        "strive",
        "attempt",
        "want",
        "wants",
        "need",
        "needs",
        "able",
        "begin",
        "start",
        "continue",
        "learn",
        "steps",
        "way",
        "ways",
        "efforts",
        "effort",
        "will",
        "help",
        "seek",
        "plan",
    ]
)


def _drop_purpose(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) in _NO_BEHAVIOR else match.group(1)


_UNPINNED = _lazy(
    rf"\b{_VAGUE_VERB}(?:s|d|ed)? (?:their |his |her |the |my |overall )*{_CONSTRUCT} by {NUM}\s*(?:%|percent)"
)
# What is counted is itself a judgment: "appropriate behavior 80% of the
# time", "display calm behavior daily".
_JUDGED = _lazy(
    r"\b(?:appropriate|age-appropriate|acceptable|improved|positive|good|better|proper|calm|adequate) "
    r"(?:[a-z-]+ )?(?:behaviou?rs?|attention|social skills|conduct|choices)\b"
)

_IMPOSSIBLE = _lazy(
    r"(?<!may )(?<!might )\bnever (?:\w+ ){0,3}(?:again|feel|experience|have|be)\b|\bnever \w+ .*\bagain\b|"
    r"\beliminate all\b|\bcompletely (?:eliminate|cured?|stop|free)\b|\b(?:be |is )?cured\b|"
    r"\balways (?:feel|be|remain|stay)\b|\bperfect(?:ly)?\b(?! attendance)|\bforever\b|"
    rf"\b(?:don't|do not|not|never|won't) (?:want to |wish to |ever )?(?:feel|be|get) (?:\w+ )?{_STATE} (?:anymore|any more|again)\b|"
    rf"\b(?:not|never|no longer|won't) (?:be|feel|get|become) (?:\w+ )?{_STATE}\b|\ball (?:of )?(?:her|his|their) (?:anxiety|symptoms)\b|"
    # 100% of the time; "attend 100% of scheduled sessions" can be done
    r"\b100\s*%(?! of (?:the )?(?:scheduled|assigned|required|prescribed|planned|sessions|appointments|"
    r"classes|doses|homework|assignments|days|school days|meetings))",
)
# A state of having none ("have zero panic attacks", "be free of tantrums")
# is a promise for ever unless a bounded period says for how long.
_IMPOSSIBLE_WORDS = (
    *("never", "eliminat", "complete", "cure", "always", "not ", "no longer", "won't", "all "),
    *("anymore", "any more", "perfect", "forever"),
    "100",
)
_ABSOLUTE_WORDS = ("zero", "no ", "0", "free ")
_ABSOLUTE = _lazy(
    r"\b(?:have|has|be|is|remain|remains|stay|stays|experience|experiences|live) "
    r"(?:(?:completely|totally|entirely) )?(?:zero|no(?! longer)|0|free (?:of|from))\b"
    r"(?! (?:injury|injuries|harm|self-harm|self-injury|suicid\w*|weapons?|danger)\b)"
)
_PERIOD = _lazy(
    rf"\bfor (?:at least |a minimum of |a period of )?(?:{_NUMR}|a|an)[- ](?:[a-z]+ )?{_UNIT}|"
    rf"\b{NUM}[- ](?:consecutive|straight|continuous|successive)|\bin a row\b|"
    rf"\b(?:entire|whole|full) {_UNIT}|\bover (?:the next |a |an )?(?:{_NUMR}[- ])?{_UNIT}|"
    rf"\b(?:for|over|during) the (?:next|coming|following|first) "
)


@dataclass(frozen=True)
class Reading:
    """What the text of one objective says, with the words that say it."""

    time_frame: str | None
    measure: str | None
    vague: str | None
    impossible: str | None
    instrument: str | None  # an instrument named anywhere in the text
    amount: str | None = None  # a vague amount where a number should be ("more hours")


@cache
def _instrument_names(catalog: re.Pattern[str] | None) -> re.Pattern[str]:
    """The catalog's names (and txplan.toml's) and the other instruments
    plans name, in one pattern: one pass instead of two."""
    if catalog is None:
        return _OTHER_INSTRUMENT
    # The text is lowercase by now, and a case-insensitive search is much
    # slower: the catalog's names are letters and digits joined by `[\s-]?`
    # (instruments.mention_pattern), so its pattern lowercased matches the same.
    return re.compile(f"{catalog.pattern.lower()}|{_OTHER_INSTRUMENT.pattern}")


def _first(pattern: re.Pattern[str] | _Lazy, text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0).strip() if m else None


def _without_frequency(match: re.Match[str]) -> str:
    return _FREQUENCY.sub(" ", match.group(0))


def _cut(pattern: re.Pattern[str] | _Lazy, text: str, replacement: str) -> tuple[str, str | None]:
    """`text` without what `pattern` finds, and the first thing it found, in
    about one pass: most statements have one match or none."""
    first = pattern.search(text)
    if first is None:
        return text, None
    rest = text[: first.start()] + replacement + pattern.sub(replacement, text[first.end() :])
    # one space between the words left, as the patterns expect
    return " ".join(rest.split()), first.group(0).strip()


def read(text: str, instruments: re.Pattern[str] | None = None) -> Reading:
    """The reading of one statement. `vague` is looked for only when nothing
    in the text measures the outcome or names an instrument, since either
    pins a vague word down (S001 judges only then)."""
    text = normalize(text)  # lowercase: the patterns below are written in lowercase
    rest, time_frame = _cut(TIME_FRAME, text, " ")
    # The digits of "GAD-7" are not a count; a score after the name is.
    rest, named = _cut(_instrument_names(instruments), rest, " instrument ")
    if named is None and any(word in rest for word in _SCALE_WORDS):
        rest, named = _cut(_NAMED_SCALE, rest, " instrument ")
    if "(" in rest:
        rest = rest.replace("(", "").replace(")", "")
    if any(word in rest for word in _METHOD_WORDS):
        rest = _METHOD.sub(_without_frequency, rest)
    if "given" in rest:
        rest = _CONDITION.sub(" ", rest)
    if ", " in rest:
        rest = _HEDGE.sub("", rest)
    measure = _first(_MEASURE_NUM, rest) if _HAS_NUMBER.search(rest) else None
    measure = measure or _first(_MEASURE_WORDS, rest)
    if measure is None and any(word in text for word in _DURATION_WORDS):
        measure = _first(_DURATION_MEASURE, text)
    amount = None
    if measure is None:
        amount = _first(_VAGUE_AMOUNT, rest)
        if amount is None:
            measure = _product(rest)
    instrument = named.upper() if named and " " not in named else named
    vague = None
    if not (measure or instrument):
        if any(word in rest for word in _SPOKEN_WORDS):
            rest = _SPOKEN.sub(r"\1 it", rest)
        if " to " in rest:
            rest = _PURPOSE.sub(_drop_purpose, rest)
        if "when" in rest or "while" in rest or "if " in rest:
            rest = _WHEN.sub(" ", rest)
        vague = _first(_VAGUE, rest)
    elif measure:
        # "as evidenced by initiating 2 conversations" pins the judged behavior down
        vague = None if "evidenced by" in rest or "shown by" in rest else _first(_JUDGED, rest)
        if vague is None and ("%" in rest or "percent" in rest or " of " in measure):
            vague = _first(_UNPINNED, rest)
    impossible = None
    if any(word in text for word in _IMPOSSIBLE_WORDS):
        impossible = _first(_IMPOSSIBLE, text)
    if impossible is None and any(word in text for word in _ABSOLUTE_WORDS):
        impossible = _first(_ABSOLUTE, text)
        if impossible and _PERIOD.search(text):
            impossible = None
    # An absolute is a criterion (none, all, every time), however unrealistic:
    # S003 says it cannot be met, S002 need not say it cannot be counted.
    return Reading(time_frame, measure or impossible, vague, impossible, instrument, amount)


def loose_time(text: str) -> str | None:
    """Words about time in `text` that bound nothing ("by the end of
    treatment", "as needed"), for S005's message."""
    return _first(_LOOSE_TIME, normalize(text))
