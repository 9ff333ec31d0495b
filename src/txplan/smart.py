"""Reading an objective's text the way a supervisor does: is there a time
frame, something to measure, a vague outcome, an impossible promise?

Deterministic and explainable: regular expressions over the lowercased
text, each finding the words that triggered it so a message can quote them.
The time frame is found first and taken out, because numbers that only say
*when* ("within 8 weeks") measure nothing. tests/data/smart_corpus.yaml and
benchmarks/smart_eval.py check these readings against labeled statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_WORD_VALUE = {**{w: i for i, w in enumerate(_UNITS)}, **_TENS, "a single": 1, "a couple of": 2}
_NUMBER_WORD = re.compile(
    rf"\b(?:({'|'.join(_TENS)})[- ]({'|'.join(_UNITS[1:10])})|({'|'.join(_WORD_VALUE)}))\b"
)


def _digits(match: re.Match[str]) -> str:
    if match.group(1):
        return str(_TENS[match.group(1)] + _WORD_VALUE[match.group(2)])
    return str(_WORD_VALUE[match.group(3)])


def normalize(text: str) -> str:
    """Lowercase, with number words as digits ("Three times" -> "3 times"),
    so one small number pattern serves every rule and no pattern needs
    re.IGNORECASE (which makes these large patterns slower to compile)."""
    return _NUMBER_WORD.sub(_digits, text.lower())


NUM = r"(?:\d+(?:[.,]\d+)?(?:\s*-\s*\d+)?)"
_UNIT = r"(?:day|week|month|year|session|visit|appointment)s?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|eighth|tenth|twelfth|next|final|last)"

TIME_FRAME = re.compile(
    "|".join(
        [
            rf"\bwithin (?:the )?(?:next |first )?(?:{NUM}|a|one)?[- ]?{_UNIT}(?: of (?:treatment|therapy|intake|starting))?",
            rf"\b(?:in|after) (?:the next )?{NUM}[- ]{_UNIT}",
            rf"\b(?:for|over|during) the (?:next|coming|following) (?:{NUM} )?{_UNIT}",
            rf"\bby (?:the )?(?:end of )?(?:the )?(?:(?:session|visit|week|month)\s*#?\s*{NUM}\b|{_ORDINAL} (?:session|visit|week|month|review))",
            rf"\bby (?:the )?(?:end of (?:the )?)?(?:school year|semester|term|quarter|month|year|{_MONTH}\b)",
            rf"\bby (?:the )?(?:\d+-day|next|first|{_ORDINAL}|90-day|quarterly) (?:review|plan review|re-?assessment)",
            r"\bby \d{4}-\d{1,2}-\d{1,2}",
            r"\bby \d{1,2}/\d{1,2}(?:/\d{2,4})?",
            rf"\bby {_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?",
            rf"\b{NUM}[- ]{_UNIT} from (?:now|today|intake|the start)",
            r"\bbefore (?:the )?(?:next |\d+-day )?(?:review|plan review)",
        ]
    ),
)

_MEASURE = re.compile(
    "|".join(
        [
            rf"\bfrom (?:about |approximately |around )?{NUM}\b.{{0,40}}?\bto (?:about )?{NUM}\b",
            rf"\b(?:to|at|below|under|above|over|at or below|at or above) (?:a )?(?:score of )?{NUM}(?:/\d+)?\b",
            rf"\b{NUM} or (?:fewer|less|more|below|above|lower|higher|greater|under|better)\b",
            rf"\b(?:at least|no more than|fewer than|less than|more than|at most|up to|a minimum of|a maximum of|under|over|below|above|reduce[sd]? by|increase[sd]? by) {NUM}\b",
            rf"\b{NUM} (?:out )?of (?:the )?(?:{NUM}|every|all)\b",
            rf"\b{NUM}\s*/\s*(?:10|100|5|7)\b",
            rf"\b{NUM}\s*(?:%|percent)",
            rf"\b(?:{NUM}|once|twice|thrice)\s*(?:x|times?)?\s*(?:a|per|each|every|/)\s*(?:day|week|month|night|session|evening|morning|weekday)\b",
            r"\b(?:once|twice|thrice)\b",
            # A number followed by a word is a count ("3 coping skills", "5 drinks"):
            # time frames and instrument names are taken out before this runs.
            rf"\b{NUM}\+?\s*[a-z]",
            r"\b(?:daily|nightly|weekly|every (?:day|night|morning|evening|weekday|week)|each (?:day|night|morning|evening|school day|week|weekday)|per (?:day|week|night)|a day|a night|a week|weeknights|weekdays)\b",
            r"\b(?:zero|no) (?:[a-z-]+ ){0,2}(?:incidents?|episodes?|drinks?|days?|attacks?|instances?|use)\b",
            # "never argue again": a count of zero (S003 judges whether it is realistic)
            r"\bnever (?:argue|drink|use|cut|self-harm|hit|smoke|miss|skip|yell|fight)s?\b",
            r"\b(?:abstain|abstinent|sober)\b.{0,40}\bfor\b",
            r"\b(?:rate[sd]?|rating|scale|score[sd]?|suds)\b.{0,30}\d",
            r"\b(?:full[- ]time|part[- ]time)\b",
            r"\b(?:all|every|each) (?:of (?:her|his|their|the) )?(?:[a-z-]+ ){0,2}(?:appointments|sessions|meetings|classes|shifts|assignments|doses|visits|bills|tasks|chores|payments)\b",
            r"\bon time\b",
            rf"\b{NUM} (?:[a-z-]+ ){{1,3}}(?:a|per|each|every) (?:day|week|month|night|weekend|school day|session)\b",
            r"\b(?:complete|create|write|develop|draft|make|finish|submit|fill out|sign) (?:a |an |the |her |his |their )?(?:written |personal )?(?:[a-z-]+ )?(?:budget|safety plan|relapse prevention plan|plan|list|worksheet|application|resume|letter|hierarchy|timeline|log|contract|schedule|exposure hierarchy)\b",
            r"\b(?:return to|enroll in|obtain|pass|graduate|apply (?:for|to)|move (?:into|to)|get (?:a|her|his) (?:job|license))\b",
            r"\b(?:through step|step) \d+\b",
            r"\bby \d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)",
            r"\bwithin \d+ minutes\b",
        ]
    ),
)

# Outcomes that are states or constructs, not behaviors (the S in SMART):
# a vague verb within a few words of an abstract construct ("improve her
# self-image", "manage panic symptoms"), a feeling or state ("feel better",
# "be more confident"), or an evaluative word with nothing to count
# ("express anger appropriately", "tolerate uncertainty better").
_CONSTRUCT = (
    r"(?:stress|anxiety|depression|symptoms?|mood|moods|mood swings|anger|sadness|emotions?|"
    r"feelings?|worry|worries|grief|self-esteem|self-image|self-concept|self-worth|"
    r"self-awareness|self-confidence|confidence|insight|awareness|understanding|resilience|"
    r"coping(?: skills)?|regulation|control|functioning|well-?being|quality of life|"
    r"relationships?|communication|boundaries|outlook|hope|hopefulness|motivation|trust|"
    r"acceptance|uncertainty|distress|negativity|issues|healing|stability|self-compassion|"
    r"patterns?|trauma|past|childhood|loss|divorce|cycle|attitude|life|respect|patience|"
    r"hygiene|self-care|independence|responsibility|support(?: network| system)?|behaviou?r)"
)
_VAGUE_VERB = (
    r"(?:improve|increase|decrease|reduce|lower|manage|control|build|develop|gain|enhance|"
    r"boost|regain|strengthen|lessen|alleviate|address|overcome|resolve|eliminate|process|"
    r"explore|understand|accept|tolerate|experience|express|demonstrate|report|show|"
    r"learn about|talk about|discuss|work on|work through|deal with|cope with|heal)"
)
_VAGUE = re.compile(
    "|".join(
        [
            rf"\b{_VAGUE_VERB}(?:s|d|ed)?\b(?: [\w-]+){{0,3}}? {_CONSTRUCT}\b",
            r"\bfeel(?:s|ing)?\b(?: \w+){0,3}",
            r"\b(?:be|become|get|remain|stay)(?: \w+)? (?:happier|happy|calmer|calm|better|healthier|less \w+|more \w+|cured|in control)\b",
            r"\b(?:better|improved|appropriately|effectively|healthier|healthy|positive|positively|adequately|successfully|properly|in control|more in control|emotionally stable)\b",
            r"\bwork(?:s|ing)? on\b",
            r"\b(?:cope|deal)s? (?:better|with)\b",
            r"\blearn to love\b",
            r"\bstop worrying\b",
            r"\bcontinue (?:therapy|treatment|counseling)\b",
            r"\bbe able to (?:manage|cope|handle|control)\b",
        ]
    ),
)

_IMPOSSIBLE = re.compile(
    r"\bnever (?:\w+ ){0,3}(?:again|feel|experience|have|be)\b|\bnever \w+ .*\bagain\b|"
    r"\beliminate all\b|\bcompletely (?:eliminate|cured?|stop|free)\b|\b(?:be |is )?cured\b|"
    r"\balways (?:feel|be|remain|stay)\b|\b100\s*% of the time\b|\ball (?:of )?(?:her|his|their) (?:anxiety|symptoms)\b",
)


@dataclass(frozen=True)
class Reading:
    """What the text of one objective says, with the words that say it."""

    time_frame: str | None
    measure: str | None
    vague: str | None
    impossible: str | None
    instrument: str | None  # an instrument named anywhere in the text


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0).strip() if m else None


_DIGIT = re.compile(r"\d")


def read(text: str, instruments: re.Pattern[str] | None = None) -> Reading:
    text = normalize(text)  # lowercase: the patterns below are written in lowercase
    time_frame = _first(TIME_FRAME, text)
    rest = TIME_FRAME.sub(" ", text) if time_frame else text
    named = instruments.search(text) if instruments is not None else None
    if named is not None and instruments is not None:
        # The digits of "GAD-7" are not a count; a score after the name is.
        rest = instruments.sub(" instrument ", rest)
    measure = _first(_MEASURE, rest)
    return Reading(
        time_frame,
        measure,
        _first(_VAGUE, rest),
        _first(_IMPOSSIBLE, text),
        named.group(0) if named else None,
    )
