"""English findings are read like Chinese ones: inflected words, either spelling, and the cues that say a system is
already in place, not wanted or for later. Every sentence here is invented for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.taxonomy import load_taxonomy
from matching.clauses import split_clauses
from matching.interchange import listing_from_row, read_jsonl
from matching.lexicon import WordFinder, build_lexicon
from matching.matcher import Matcher
from matching.types import Listing, Profile

DATA = Path(__file__).resolve().parents[2] / "data"


def found(words: dict[str, str], text: str) -> list[tuple[str, str]]:
    """(words as written, code) of what a finder of `words` (word -> code) finds in the text."""
    finder = WordFinder({word: [(code, 1.0)] for word, code in words.items()})
    return [(hit.word, hit.targets[0][0]) for hit in finder.find(text)]


@pytest.fixture(scope="module")
def dev_matcher() -> Matcher:
    groups = {code: term.group or "" for code, term in load_taxonomy().scenarios.items()}
    listings = [listing_from_row(row) for row in read_jsonl(DATA / "catalog.jsonl")]
    return Matcher.build(listings, scenario_groups=groups)


def test_an_inflected_word_finds_the_word_the_lexicon_lists():
    words = {"surface inspection": "look", "inspect": "look", "design change": "design", "battery": "power"}

    hits = found(
        words, "Surface inspections lag; we inspected, re-inspecting; design changes; spare batteries"
    )

    assert hits == [
        ("Surface inspections", "look"),
        ("inspected", "look"),
        ("inspecting", "look"),
        ("design changes", "design"),
        ("batteries", "power"),
    ]


def test_a_listed_inflection_never_reaches_another_word():
    words = {"goods": "logistics", "planning": "mes", "not": "pain", "lot": "trace"}

    assert found(words, "a good plan, noted in our notes, a pilot") == []
    assert found(words, "goods planning") == [("goods", "logistics"), ("planning", "mes")]


def test_british_and_american_spellings_meet():
    words = {"labor cost": "finance", "optimize": "process", "catalogue": "sales", "modeling": "design"}

    hits = found(words, "Labour costs rise; we optimised nothing; the catalog; modelling by hand")

    assert [code for _, code in hits] == ["finance", "process", "sales", "design"]


def test_an_acronym_is_never_found_inside_a_plain_word():
    words = {"IT": "cloud", "WIP": "mes", "ERP": "erp"}

    assert found(words, "It works and it is wiped daily") == []
    assert found(words, "IT staff count WIP; an erp") == [("IT", "cloud"), ("WIP", "mes"), ("erp", "erp")]


def test_the_plural_of_an_acronym_is_found_only_as_written():
    words = {"PCs": "cybersecurity", "PLC": "data_collection"}

    # "pcs" on a production report counts pieces, not personal computers
    assert found(words, "output 1,200 pcs per shift, 40 pcs scrapped") == []
    assert found(words, "office PCs share one password; two PLCs") == [
        ("PCs", "cybersecurity"),
        ("PLCs", "data_collection"),
    ]


def test_a_phrase_is_found_hyphenated_spaced_or_closed():
    hits = found({"shop floor": "mes"}, "a shop-floor terminal, two shop floors, one shopfloor")

    assert hits == [("shop-floor", "mes"), ("shop floors", "mes"), ("shopfloor", "mes")]


def test_a_form_of_to_be_may_stand_inside_a_phrase_but_no_punctuation():
    words = {"passwords shared": "security"}

    assert found(words, "passwords are often shared") == [("passwords are often shared", "security")]
    assert found(words, "passwords, shared") == []


def test_in_a_buyers_quality_agreement_the_supplier_is_the_enterprise_itself(dev_matcher):
    findings = (
        'Quality agreement from our customer: "The supplier shall inspect 100% of the output and keep images of '
        'rejected parts." The buyer finds our checks inadequate: two operators look at samples by eye under a lamp.'
    )

    needs = [need.scenario for need in dev_matcher.read_needs(Profile(needs_text=findings))]

    assert needs[0] == "visual_inspection" and "procurement" not in needs


def test_an_object_pronoun_may_stand_inside_a_phrase():
    words = {"sort by hand": "smart_sorting"}

    assert found(words, "workers sort them by hand; we sort it by hand") == [
        ("sort them by hand", "smart_sorting"),
        ("sort it by hand", "smart_sorting"),
    ]
    assert found(words, "sort the scrap by hand") == []


def test_english_clauses_break_at_connectives_not_inside_words_or_numbers():
    clauses = [
        clause for _, clause in split_clauses("Distribution of 4,000 drums is slow, but stock is fine")
    ]

    assert clauses == ["Distribution of 4,000 drums is slow", "stock is fine"]


def test_an_inflected_finding_reads_as_the_need_the_lexicon_names(scenario_listings):
    lexicon = build_lexicon(
        {
            "scenarios": {
                "visual_inspection": {"terms": ["surface inspection"]},
                "energy_management": {"terms": ["electricity bill"]},
            },
            "cues": {},
        }
    )
    groups = {"visual_inspection": "production", "energy_management": "production"}
    matcher = Matcher.build(scenario_listings, scenario_groups=groups, lexicon=lexicon)

    needs = matcher.read_needs(Profile(needs_text="Our surface inspections all happen under one lamp."))

    assert [need.scenario for need in needs] == ["visual_inspection"]
    assert needs[0].evidence == ("surface inspections",)


def test_a_system_in_place_with_no_complaints_is_never_recommended(dev_matcher):
    profile = Profile(
        needs_text="We already run an MES, no complaints, leave it alone. Stock counts never match the books "
        "and pickers cannot find pallets."
    )

    reading = dev_matcher.reading(profile)
    ranked = dev_matcher.rank(profile)

    assert "mes" in reading.solved and "mes" not in [need.scenario for need in reading.needs]
    assert ranked[0].scenario == "warehouse"
    primary = {listing.id: listing.scenarios[0] for listing in dev_matcher.listings}
    assert "mes" not in [primary[match.id] for match in ranked]


def test_no_complaints_names_no_quality_problem(dev_matcher):
    reading = dev_matcher.reading(
        Profile(needs_text="Customers: no complaints. The presses break down without warning.")
    )

    assert [need.scenario for need in reading.needs] == ["equipment_monitoring"]
    assert "quality_traceability" not in reading.solved


def test_a_remark_that_all_is_well_covers_the_plain_list_before_it(dev_matcher):
    reading = dev_matcher.reading(
        Profile(
            needs_text="Our ERP handles orders, stock and payroll, no complaints there. Machines break down."
        )
    )

    assert "erp_finance" in reading.solved
    assert [need.scenario for need in reading.needs] == ["equipment_monitoring"]


@pytest.mark.parametrize("later", ["eventually", "next year", "some day"])
def test_an_english_later_cue_makes_a_nice_to_have(dev_matcher, later):
    needs = dev_matcher.read_needs(
        Profile(needs_text=f"Kilns break down without warning. We might look at energy metering {later}.")
    )

    energy = next(need for need in needs if need.scenario == "energy_management")
    assert needs[0].scenario == "equipment_monitoring"
    assert energy.later


@pytest.fixture
def scenario_listings() -> list[Listing]:
    def listing(number: int, scenario: str, name: str) -> Listing:
        return Listing(
            id=f"L{number}",
            name=name,
            summary=name,
            description=f"{name}。",
            scenarios=(scenario,),
            industries=(),
            price_min_wan=5.0,
            price_max_wan=10.0,
            deployment="saas",
            delivery_days=30,
        )

    return [
        listing(number, scenario, name)
        for number, (scenario, name) in enumerate(
            [("visual_inspection", "视觉质检系统"), ("energy_management", "能耗监测平台")] * 2
        )
    ]


def test_a_full_stop_after_an_abbreviation_ends_no_sentence():
    sentences = [
        number
        for number, _ in split_clauses("Mfg. review of press line 2. Each die change costs approx. 3 hours.")
    ]

    assert sentences == [0, 1]


def test_a_system_in_place_that_was_not_hit_stays_in_place(dev_matcher):
    reading = dev_matcher.reading(
        Profile(
            needs_text="Forklifts wait at the dock for hours. Our ERP already runs in the cloud and was not "
            "affected by the outage."
        )
    )

    assert {"erp_finance", "cloud_migration"} <= reading.solved
    assert "cloud_migration" not in [need.scenario for need in reading.needs]


def test_a_run_of_later_remarks_defers_the_wish_it_introduces(dev_matcher):
    needs = dev_matcher.read_needs(
        Profile(
            needs_text="Presses break down without warning. Later, perhaps next year: an energy metering "
            "system for the furnaces."
        )
    )

    energy = next(need for need in needs if need.scenario == "energy_management")
    assert needs[0].scenario == "equipment_monitoring"
    assert energy.later
