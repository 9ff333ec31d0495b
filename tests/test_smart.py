"""The SMART rules against the labeled corpus, and what their messages say."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT, edit, example_text, lint_dir, load_script
from txplan.clinical import instruments, smart
from txplan.config import Config, DeclaredInstrument


def _smart_eval() -> ModuleType:
    return load_script("benchmarks/smart_eval.py")  # type: ignore[no-any-return]


# The floors are what the rules reach on the whole corpus (our statements
# and the published ones gathered for issue 11): a change that loses
# agreement fails here. They fell when the held-out sets of 2026-12-03 joined
# the corpus (0.913 to 0.864 exact): new published wording, and labels on
# which careful readers themselves differ (see the issue 11 note).
EXACT_AGREEMENT_FLOOR = 0.86


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    evaluation = _smart_eval()
    items = evaluation.load_corpus()
    assert len(items) >= 500
    return evaluation, items


@pytest.fixture(scope="module")
def scores(corpus):  # type: ignore[no-untyped-def]
    evaluation, items = corpus
    return evaluation.evaluate(items)


# (precision, recall) floors per code: S001's recall is the weak letter on
# published wording (abstract outcomes keep arriving in new shapes).
FLOORS = {"S001": (0.90, 0.84), "S002": (0.92, 0.93), "S005": (0.99, 0.99)}


@pytest.mark.parametrize("code", sorted(FLOORS))
def test_corpus_precision_and_recall(scores, code: str) -> None:  # type: ignore[no-untyped-def]
    score = scores[code]
    precision, recall = FLOORS[code]
    assert score.precision >= precision, score.misses
    assert score.recall >= recall, score.misses


def test_corpus_exact_agreement(corpus) -> None:  # type: ignore[no-untyped-def]
    evaluation, items = corpus
    agreement, wrong = evaluation.exact_agreement(items)
    assert agreement >= EXACT_AGREEMENT_FLOOR, wrong


def test_published_statements_are_in_the_corpus(corpus) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "tests" / "data" / "smart_corpus.yaml").read_text(encoding="utf-8")
    published = text[text.index("# ===== Published examples") :]
    assert published.count("- {text:") >= 200
    assert published.count("\n# --- ") >= 40  # each group under its publisher and title


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("within 8 weeks", True),
        ("in 4 weeks", True),
        ("by session 6", True),
        ("by 2026-05-01", True),
        ("for the next 30 days", True),
        ("over the next 12 weeks", True),
        ("by March 15", True),
        ("by the end of the school year", True),
        # a bounded period is a time frame as much as a deadline is
        ("for 6 weeks", True),
        ("for 3 consecutive weeks", True),
        ("for thirty consecutive days", True),
        ("over the next three months", True),
        ("over a two-week period", True),
        ("this week", True),
        ("in the next month", True),
        ("by next session", True),
        ("by the 90-day review", True),
        ("within six to eight weeks", True),
        # how long one episode lasts, a rate, or no bound at all
        ("for 10 minutes", False),
        ("for 20 minutes a day", False),
        ("for 3 days a week", False),
        ("per month", False),
        ("by the end of treatment", False),
        ("by discharge", False),
        ("on an ongoing basis", False),
        ("as needed", False),
        ("soon", False),
        ("over time", False),
        ("within a few months", False),
        ("in the coming weeks", False),
        ("over the next several weeks", False),
        ("within weeks", False),
        ("within the next month", True),
        ("over the weekend", True),
        ("eventually", False),
    ],
)
def test_time_frames(text: str, frame: bool) -> None:
    assert (smart.read(f"Client will walk daily {text}.").time_frame is not None) is frame


def test_numbers_in_a_time_frame_measure_nothing() -> None:
    assert smart.read("Client will feel better within 8 weeks.").measure is None
    assert smart.read("Client will practice breathing for 6 weeks.").measure is None
    assert smart.read("Client will attend 3 groups a week within 8 weeks.").measure is not None


def test_a_duration_criterion_is_a_measure_and_a_time_frame() -> None:
    reading = smart.read("Client will remain abstinent from alcohol for 30 consecutive days.")
    assert reading.measure is not None and reading.time_frame is not None


@pytest.mark.parametrize(
    "text",
    [
        "three times a week",
        "twice weekly",
        "5x weekly",
        "4/10",
        "6 out of 10",
        "80%",
        "on 80% of days",
        "3 of 5 conflicts",
        "under 30 minutes",
        "seven hours a night",
        "from 5 to 2 per week",
        "daily",
        "each session",
        "every morning",
        "from severe to moderate on the GAD-7",
        "to the mild range on the PHQ-9",
        "with a 5-point drop on the PHQ-9",
    ],
)
def test_measures_in_digits_and_words(text: str) -> None:
    pattern = instruments.mention_pattern(())
    assert smart.read(f"Client will do it {text}.", pattern).measure is not None


@pytest.mark.parametrize(
    "text",
    [
        "Client will sleep more hours per night within 6 weeks.",
        "Client will exercise more within 4 weeks.",
        "Client will have fewer arguments with her son within 8 weeks.",
        "Client will attend school more regularly within 6 weeks.",
        "Client will show increased participation in group within 6 weeks.",
        "Client will report improved sleep within 6 weeks.",
        "Client will reduce depressive symptoms as measured by the BDI-II within 12 weeks.",
        "Client will reduce anxiety as measured by weekly GAD-7 within 12 weeks.",
        "Client will reduce worry, as evidenced by self-report, within 8 weeks.",
        "Client will reduce panic attacks, as tracked in a daily log, within 8 weeks.",
        "Client will improve daily functioning within 8 weeks.",
    ],
)
def test_vague_quantities_and_bare_instruments_are_not_measures(text: str) -> None:
    pattern = instruments.mention_pattern(())
    assert smart.read(text, pattern).measure is None, smart.read(text, pattern)


def test_an_instrument_outside_the_catalog_is_named_in_the_reading() -> None:
    reading = smart.read("Client will reduce depression as measured by the BDI-II.")
    assert reading.instrument == "BDI-II" and reading.vague is None


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Client will learn about anxiety within 4 weeks.", True),
        ("Client will change her outlook on life.", True),
        ("Client will reach his potential.", True),
        ("Client will return to daily activities with improved functioning.", True),
        ("Client will gain insight into her patterns.", True),
        ("Client will ask for help without shouting by next session.", False),
        ("Client will attend an AA meeting this week.", False),
        ("Client will complete homework by next session.", False),
        ("Client will verbalize an understanding of the effects of alcohol on mood.", False),
    ],
)
def test_abstract_outcomes_are_not_specific(text: str, vague: bool) -> None:
    assert (smart.read(text).vague is not None) is vague


def test_instrument_names_are_found_in_any_spelling() -> None:
    config = Config(instruments={"SUDS": DeclaredInstrument(0, 100)})
    pattern = instruments.mention_pattern(("SUDS",))
    for written in ("PHQ-9", "phq9", "PHQ 9", "gad-7", "Y-BOCS", "SUDS"):
        assert pattern.search(f"as measured by the {written} weekly"), written
    assert not pattern.search("GAD-70 is not a thing")
    assert instruments.find("phq 9", config) == instruments.find("PHQ-9", Config())
    assert instruments.suggest("PHQ9-A", config) == "PHQ-9"


def test_bands_and_direction() -> None:
    phq = instruments.find("PHQ-9", Config())
    assert phq is not None and phq.band(12) == "moderate" and phq.band(27) == "severe"
    assert phq.improves(18, 9) and not phq.improves(9, 18)
    assert phq.loinc == "44261-6"


def _messages(plans: Path, code: str, **changes) -> list[str]:  # type: ignore[no-untyped-def]
    text = edit(example_text(), changes.get("set"), changes.get("delete"))
    result = lint_dir(plans, {"C-1042.plan.yaml": text})
    return [f.message for f in result.findings if f.code == code]


def test_messages_name_the_letter_quote_the_words_and_suggest_from_the_plan(plans: Path) -> None:
    (message,) = _messages(
        plans,
        "S001",
        set={"goals[1].objectives[0].statement": "Client will feel better within 6 weeks."},
    )
    assert message.startswith("S (specific): Objective O2.1 says 'feel better'")
    # The primary diagnosis is GAD (F41.1): GAD-7, with the latest score as baseline.
    assert "'reduce GAD-7 from 15 (latest, 2026-01-12) to 9 or below within 12 weeks'" in message
    (message,) = _messages(
        plans,
        "S005",
        delete=["goals[0].objectives[1].target_date"],
        set={
            "goals[0].objectives[1].statement": "Client will sleep 6+ hours on 5 nights per week."
        },
    )
    assert message.startswith("T (time-bound): Objective O1.2 has no target date")
    assert "`target_date: 2026-04-06`" in message


def test_a_rewrite_without_a_fitting_instrument_suggests_counts(plans: Path) -> None:
    (message,) = _messages(
        plans,
        "S002",
        set={
            "diagnoses[0].code": "F90.2",
            "diagnoses[0].name": "Attention-deficit hyperactivity disorder, combined type",
            "problems[0].diagnoses": ["F90.2"],
            "problems[1].diagnoses": ["F90.2"],
            "goals[0].objectives[0].measure": None,
            "goals[0].objectives[0].statement": "Client will finish homework more often within 8 weeks.",
        },
    )
    assert "a count ('from 5 to 2 per week')" in message


@pytest.mark.parametrize(
    ("text", "impossible"),
    [
        ("Client will have zero panic attacks.", True),
        ("Be free of tantrums.", True),
        ("Walk away from situations that trigger strong emotions (100%).", True),
        ("Client will have zero self-harm incidents for 8 consecutive weeks.", False),
        ("Client will attend 100% of scheduled sessions within 12 weeks.", False),
        ("Client will reduce cutting episodes to zero within 8 weeks.", False),
    ],
)
def test_a_promise_of_none_for_ever_is_not_achievable(text: str, impossible: bool) -> None:
    assert (smart.read(text).impossible is not None) is impossible


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Client will have less anxiety.", True),
        ("Less anxious.", True),
        ("Develop strategies for thought distraction.", True),
        ("Learn two positive anger management skills.", False),  # a count pins it
        ("Client will express feelings about his mother's death.", False),  # observable speech
        ("Client will express anger appropriately.", True),
    ],
)
def test_vague_amounts_of_a_state_are_not_specific(text: str, vague: bool) -> None:
    assert (smart.read(text).vague is not None) is vague


def test_telling_one_thing_is_a_checkable_act() -> None:
    assert smart.read("Verbalize the source of my anger in three weeks.").measure is not None
    assert smart.read("Client will identify the triggers for her anxiety.").measure is None


@pytest.mark.parametrize(
    ("text", "measured"),
    [
        ("Client will reduce physical fights from ____ to ____ times per week.", True),
        ("I won't turn down invitations to family functions.", True),
        ("Report no longer feeling the impulse to suicide.", True),
        ("To be married by the end of the year.", True),
        ("Client will decrease suspensions during the academic school year.", False),
    ],
)
def test_blanks_zero_counts_and_achieved_status_measure(text: str, measured: bool) -> None:
    assert (smart.read(text).measure is not None) is measured


def test_a_school_year_bounds_an_objective() -> None:
    reading = smart.read("Client will decrease suspensions during the academic school year.")
    assert reading.time_frame == "during the academic school year"


def test_a_percentage_of_a_construct_pins_nothing() -> None:
    reading = smart.read("Patient will decrease their depression by 50%.")
    assert reading.measure == "50%" and reading.vague is not None


def test_an_absolute_is_a_criterion_that_cannot_be_met() -> None:
    reading = smart.read("I will not be anxious in public.")
    assert reading.impossible and reading.measure and reading.vague


def test_messages_quote_a_vague_amount_and_loose_time_words(plans: Path) -> None:
    (message,) = _messages(
        plans,
        "S002",
        set={
            "goals[0].objectives[0].measure": None,
            "goals[0].objectives[0].statement": "Client will sleep more hours per night within 6 weeks.",
        },
    )
    assert "'more hours' names no amount: say how many or how often" in message
    (message,) = _messages(
        plans,
        "S005",
        delete=["goals[0].objectives[1].target_date"],
        set={
            "goals[0].objectives[1].statement": "Client will sleep 7 hours on 5 nights a week by the end of treatment."
        },
    )
    assert "no time frame ('by the end of treatment' names no date or period)" in message
    # a bounded period is a time frame
    assert not _messages(
        plans,
        "S005",
        delete=["goals[0].objectives[1].target_date"],
        set={"goals[0].objectives[1].statement": "Practice relaxation 5x weekly for 6 weeks."},
    )


@pytest.mark.parametrize(
    "text",
    [
        "Complete psychological testing to assess the depth of depression.",
        "Participate in a medical examination.",
        "Cooperate with psychological assessment.",
        "Describe the conflicts between self and parents.",
        "Provide developmental history and a description of current problems.",
        "Verbally identify, if possible, the source of depressed mood.",
        "Follow up with each job application submitted.",
    ],
)
def test_one_time_tasks_can_be_checked(text: str) -> None:
    assert smart.read(text).measure is not None


@pytest.mark.parametrize(
    "text",
    [
        "Attend classes starting January 15 and finishing March 15.",
        "Meet weekly to discuss progress from January-June.",
        "Laugh no more than 1 time per period for 15/15 sessions.",
    ],
)
def test_date_ranges_and_runs_of_sessions_bound_an_objective(text: str) -> None:
    assert smart.read(text).time_frame is not None


def test_a_condition_is_not_the_criterion() -> None:
    text = "When given a choice of two, Dora will use a sign to indicate her preferred activity."
    assert smart.read(text).measure is None


@pytest.mark.parametrize(
    "text",
    [
        "Acquire current and credible information about ADHD.",
        "Advocate for the child's right to accommodations.",
        "Investigate the possibility of comorbid conditions.",
        "Work cooperatively with the therapist toward agreed-upon therapeutic goals.",
        "Increase socialization.",
    ],
)
def test_abstract_processes_are_not_specific(text: str) -> None:
    assert smart.read(text).vague is not None


def test_runs_of_occasions_and_school_periods_bound_an_objective() -> None:
    for text in (
        "Student will initiate peer greetings across 3 consecutive data collection days.",
        "Student will follow directions with no more than 2 prompts for 4 consecutive probes.",
        "Student will complete work with 80% accuracy by the end of the IEP year.",
    ):
        reading = smart.read(text)
        assert reading.time_frame and reading.measure, text


def test_saying_what_one_understands_is_observable() -> None:
    said = "Verbalize an understanding of the relationship between mood and repressed feelings."
    assert smart.read(said).vague is None
    assert smart.read("Client will demonstrate understanding of relapse triggers.").vague


def test_what_a_behavior_is_for_is_not_its_outcome() -> None:
    assert smart.read("Implement relaxation techniques to reduce anxiety.").vague is None
    assert smart.read("Client will work to reduce anxiety.").vague is not None


@pytest.mark.parametrize(
    "text",
    [
        "Client will secure employment by the end of 12 weeks.",
        "Client will obtain a sponsor by 2027.",
        "Student will use a calm-down strategy in 80% of opportunities by the end of the first quarter.",
        "Student will raise his hand in 4 of 5 class periods by the annual IEP review.",
    ],
)
def test_statuses_and_school_deadlines(text: str) -> None:
    reading = smart.read(text)
    assert reading.measure and reading.time_frame, reading


@pytest.mark.parametrize(
    "text",
    [
        "Client will not harm self.",
        "The child will stop hitting.",
        "Be free of injury.",
        "Complete steps 1, 2, 3.",
        "Make a short-term verbal (or written) contract with the nurse.",
        "S will state calmly what is bothering him x% of the time.",
        "Bob will call the admission office to request an application.",
        "Disclose any history of substance use.",
    ],
)
def test_zero_counts_blanks_and_one_time_acts_measure(text: str) -> None:
    assert smart.read(text).measure is not None


def test_a_safety_goal_is_not_an_impossible_promise() -> None:
    assert smart.read("Be free of injury.").impossible is None
    assert smart.read("Be free of tantrums.").impossible is not None


@pytest.mark.parametrize(
    "text",
    [
        "Will make a choice when asked.",  # a habit with no rate
        "To decrease the number of nightly arguments at home.",  # what is counted, not how often
    ],
)
def test_habits_and_counted_things_are_not_measures(text: str) -> None:
    assert smart.read(text).measure is None


@pytest.mark.parametrize(
    "text",
    [
        "Noah will identify his anxiety level: Oct 30% | Jan 40% | March 50%.",
        "Bob will call the admission office by 4:00 Friday.",
        "Complete the 28-day program.",
        "Aiden will sit for 5 minutes for 4 out of 5 consecutive weekday dinners.",
        "After 2 weeks of nursing interaction, client will list 3 strengths.",
    ],
)
def test_benchmarks_weekdays_programs_and_runs_bound_an_objective(text: str) -> None:
    assert smart.read(text).time_frame is not None


def test_a_condition_is_not_the_outcome() -> None:
    assert smart.read("Client will seek out staff when feeling urge to harm self.").vague is None
    assert smart.read("To decrease tardiness.").vague is None  # lateness is a behavior


def test_not_negates_a_verb_not_a_comparison() -> None:
    assert smart.read("Client will feel better, not worse.").measure is None
    assert smart.read("Not harm himself or others.").measure is not None


def test_second_readers_file_is_whole(capsys) -> None:  # type: ignore[no-untyped-def]
    evaluation = _smart_eval()
    items = evaluation.load_corpus(evaluation.READERS)
    assert len(items) == 120
    for item in items:
        for reader in ("corpus", "a", "b"):
            assert set(item[reader]) <= set(evaluation.TEXT_CODES), item
    evaluation.readers_report()
    out = capsys.readouterr().out
    assert "a / b" in out and "corpus / txplan" in out
