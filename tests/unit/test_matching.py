"""The matcher ranks listings for a diagnosis and says why, in plain words, in Chinese and English."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from catalog.taxonomy import load_taxonomy
from matching.classifier import train_classifier
from matching.interchange import listing_from_row, read_jsonl
from matching.matcher import Matcher
from matching.types import Listing, Profile

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def scenario_groups() -> dict[str, str]:
    return {code: term.group or "" for code, term in load_taxonomy().scenarios.items()}


@pytest.fixture(scope="module")
def labels() -> dict[str, tuple[str, str]]:
    taxonomy = load_taxonomy()
    return {
        term.code: (term.zh, term.en)
        for term in [*taxonomy.scenarios.values(), *taxonomy.groups.values(), *taxonomy.industries.values()]
    }


@pytest.fixture(scope="module")
def dev_matcher(scenario_groups, labels) -> Matcher:
    listings = [listing_from_row(row) for row in read_jsonl(DATA / "catalog.jsonl")]
    return Matcher.build(listings, scenario_groups=scenario_groups, labels=labels)


@pytest.fixture
def make_listing() -> Callable[..., Listing]:
    counter = iter(range(1, 1000))

    def make(**over) -> Listing:
        fields = dict(
            id=f"T{next(counter):03d}",
            name="企业能耗在线监测平台",
            summary="水电气分项计量与能耗看板",
            description="帮企业摸清能耗家底，发现浪费。",
            scenarios=("energy_management",),
            industries=(),
            price_min_wan=5.0,
            price_max_wan=20.0,
            deployment="saas",
            delivery_days=30,
        )
        return Listing(**(fields | over))

    return make


@pytest.fixture
def small_matcher(make_listing, scenario_groups, labels) -> Matcher:
    listings = [
        make_listing(id="E-GEN", name="通用能耗监测平台"),
        make_listing(id="E-OWN", name="轴承厂热处理能耗管控", industries=("bearings",), price_min_wan=10.0),
        make_listing(id="E-OTHER", name="化工蒸汽节能优化", industries=("chemicals",), price_min_wan=3.0),
        make_listing(id="E-DEAR", name="园区综合能源管理平台", price_min_wan=80.0),
        make_listing(
            id="ERP-1",
            name="制造业ERP",
            summary="进销存、生产、财务一体化",
            description="财务记账、成本核算。",
            scenarios=("erp_finance",),
        ),
        make_listing(
            id="WMS-1",
            name="扫码出入库小程序",
            summary="仓库扫码出入库与盘点",
            description="库存实时准确。",
            scenarios=("warehouse",),
        ),
    ]
    return Matcher.build(listings, scenario_groups=scenario_groups, labels=labels)


def test_need_reason_quotes_the_words_of_the_findings(small_matcher):
    profile = Profile(
        needs_text="厂里电费太高，空压机整夜开着，说不清电用在哪里。", industry="bearings", budget_wan=30
    )

    top = small_matcher.rank(profile)[0]

    need = top.reasons[0]
    assert need.kind == "need"
    assert "电费" in need.evidence
    assert "“电费”" in need.zh and '"电费"' in need.en
    assert "能耗管理（生产执行数字化）" in need.zh and "Energy management (Production execution)" in need.en


def test_need_reason_points_out_the_words_the_listing_shares_with_the_findings(small_matcher):
    top = small_matcher.rank(Profile(needs_text="想做能耗监测，摸清能耗家底。"))[0]

    assert "产品介绍中也提到“能耗”" in top.reasons[0].zh
    assert 'the product also mentions "能耗"' in top.reasons[0].en


def test_listing_built_for_the_industry_and_within_budget_comes_first(small_matcher):
    profile = Profile(needs_text="电费太高，想把用电算清楚降下来。", industry="bearings", budget_wan=30)

    ranked = [match.id for match in small_matcher.rank(profile)]

    assert ranked[:2] == ["E-OWN", "E-GEN"]
    assert ranked.index("E-DEAR") > ranked.index("E-GEN")  # over budget
    assert ranked.index("E-OTHER") > ranked.index("E-GEN")  # built for another industry


def test_industry_reason_tells_own_general_and_other_industries_apart(small_matcher):
    profile = Profile(needs_text="电费太高，想把用电算清楚。", industry="bearings", budget_wan=30)

    industry = {match.id: match.reasons[1] for match in small_matcher.rank(profile)}

    assert industry["E-OWN"].kind == "industry"
    assert "轴承" in industry["E-OWN"].zh and "Bearings" in industry["E-OWN"].en
    assert "通用" in industry["E-GEN"].zh and "every industry" in industry["E-GEN"].en
    assert "化工" in industry["E-OTHER"].zh and "not your industry" in industry["E-OTHER"].en


def test_budget_reason_shows_the_own_share_after_the_subsidy(make_listing, scenario_groups):
    matcher = Matcher.build(
        [make_listing(id="E1", price_min_wan=30.0, price_max_wan=60.0)], scenario_groups=scenario_groups
    )
    profile = Profile(needs_text="电费太高。", budget_wan=25, subsidy_rate=0.5, subsidy_cap_wan=10)

    match = matcher.rank(profile)[0]

    budget = next(reason for reason in match.reasons if reason.kind == "budget")
    assert match.own_share_min_wan == 20.0  # 30 - min(0.5 * 30, 10)
    assert "30–60万元" in budget.zh and "超出预算" in budget.zh
    assert "补贴10万元" in budget.zh and "企业自付20万元" in budget.zh
    assert "over your budget of 25" in budget.en and "subsidy 10, your share 20" in budget.en


def test_already_solved_scenario_is_never_recommended_again(small_matcher):
    profile = Profile(needs_text="ERP已经上线三年，运行稳定。现在仓库账实不符，找货全靠人。", budget_wan=30)

    ranked = small_matcher.rank(profile)

    assert ranked[0].id == "WMS-1"
    assert "ERP-1" not in [match.id for match in ranked]
    assert "erp_finance" not in [need.scenario for need in small_matcher.read_needs(profile)]


def test_scenarios_marked_solved_on_the_profile_are_excluded(small_matcher):
    profile = Profile(needs_text="电费太高，仓库也乱。", solved=("energy_management",))

    ranked = [match.id for match in small_matcher.rank(profile)]

    assert ranked and not any(code.startswith("E-") for code in ranked)


def test_a_scenario_ticked_on_the_form_is_a_need_even_unmentioned(small_matcher):
    profile = Profile(needs_text="电费太高。", target_scenarios=("warehouse",))

    needs = {need.scenario: need for need in small_matcher.read_needs(profile)}
    match = next(match for match in small_matcher.rank(profile) if match.id == "WMS-1")

    assert needs["warehouse"].ticked
    assert "勾选" in match.reasons[0].zh and "ticked" in match.reasons[0].en


def test_a_later_phase_need_never_leads(small_matcher):
    profile = Profile(needs_text="仓库账实不符，盘点差异大。二期再考虑能耗监测。", budget_wan=30)

    ranked = small_matcher.rank(profile)
    energy = next(need for need in small_matcher.read_needs(profile) if need.scenario == "energy_management")

    assert ranked[0].id == "WMS-1"
    assert energy.later and energy.weight < 0.5


def test_a_need_the_findings_turn_down_is_not_read(small_matcher):
    needs = [
        need.scenario
        for need in small_matcher.read_needs(Profile(needs_text="仓库账实不符。ERP暂时不需要。"))
    ]

    assert needs[0] == "warehouse"
    assert "erp_finance" not in needs


@pytest.mark.parametrize(
    ("findings", "scenario"),
    [
        (
            "Our electricity bill keeps rising and we cannot tell which furnace wastes power.",
            "energy_management",
        ),
        (
            "Grinding machines break down without warning; maintenance only reacts after failures.",
            "equipment_monitoring",
        ),
        ("Inspectors check every part by eye and still miss scratches and dents.", "visual_inspection"),
        ("Nobody knows what stock we hold; picking errors and stock counts never match.", "warehouse"),
        ("Ransomware encrypted our file server last year and backups were months old.", "cybersecurity"),
    ],
)
def test_english_findings_rank_the_right_scenario_first(dev_matcher, findings, scenario):
    top = dev_matcher.rank(Profile(needs_text=findings, budget_wan=50))[0]

    assert top.scenario == scenario
    assert re.search(r"[A-Za-z]", " ".join(top.reasons[0].evidence))


def test_same_input_gives_the_same_ranking(dev_matcher, scenario_groups, labels):
    profile = Profile(
        needs_text="设备经常突然停机，维修靠事后抢修。电费也偏高。", industry="nonferrous", budget_wan=40
    )
    listings = list(dev_matcher.listings)
    rebuilt = Matcher.build(listings[::-1], scenario_groups=scenario_groups, labels=labels)

    assert dev_matcher.rank(profile, limit=20) == dev_matcher.rank(profile, limit=20)
    assert rebuilt.rank(profile, limit=20) == dev_matcher.rank(profile, limit=20)


def test_an_empty_catalogue_ranks_nothing_but_still_reads_needs(scenario_groups):
    matcher = Matcher.build([], scenario_groups=scenario_groups)
    profile = Profile(needs_text="电费太高，想做能耗监测。")

    assert matcher.rank(profile) == []
    assert matcher.read_needs(profile)[0].scenario == "energy_management"


def test_findings_that_name_no_need_give_no_matches(dev_matcher):
    assert dev_matcher.rank(Profile(needs_text="")) == []
    assert dev_matcher.rank(Profile(needs_text="hello world")) == []


def test_pages_follow_each_other_and_allowed_filters_listings(dev_matcher):
    profile = Profile(
        needs_text="仓库找货难，库存不准，发错货被客户退回。", industry="bearings", budget_wan=20
    )
    first_twenty = [match.id for match in dev_matcher.rank(profile, limit=20)]

    second_page = [match.id for match in dev_matcher.rank(profile, limit=5, offset=5)]
    saas_only = dev_matcher.rank(profile, allowed=lambda listing: listing.deployment == "saas")

    assert second_page == first_twenty[5:10]
    by_id = {listing.id: listing for listing in dev_matcher.listings}
    assert saas_only and all(by_id[match.id].deployment == "saas" for match in saas_only)


def test_preferred_deployment_and_rating_add_their_reasons(make_listing, scenario_groups):
    listings = [
        make_listing(id="A", deployment="on_premise"),
        make_listing(id="B", deployment="saas", rating=4.6, review_count=12),
    ]
    matcher = Matcher.build(listings, scenario_groups=scenario_groups)
    profile = Profile(needs_text="电费太高。", preferred_deployment="saas")

    ranked = matcher.rank(profile)
    kinds = {match.id: {reason.kind: reason for reason in match.reasons} for match in ranked}

    assert [match.id for match in ranked] == ["B", "A"]
    assert "符合" in kinds["B"]["deployment"].zh and "偏好" in kinds["A"]["deployment"].zh
    assert "4.6" in kinds["B"]["rating"].zh and "12" in kinds["B"]["rating"].en
    assert "rating" not in kinds["A"]


def test_a_listing_answering_a_need_only_through_a_secondary_tag_ranks_below_primaries(
    make_listing, scenario_groups
):
    listings = [
        make_listing(id="SECOND", scenarios=("data_collection", "energy_management")),
        make_listing(id="PRIMARY", scenarios=("energy_management",)),
    ]
    matcher = Matcher.build(listings, scenario_groups=scenario_groups)

    ranked = matcher.rank(Profile(needs_text="电费太高。"))

    assert [match.id for match in ranked] == ["PRIMARY", "SECOND"]
    assert ranked[1].reasons[0].zh.startswith("兼顾")


def test_new_ratings_patch_the_model_and_rank_as_a_rebuilt_one_would(dev_matcher, scenario_groups, labels):
    """Reviews move ratings only: the patched model must rank (scores, reasons) exactly as a rebuilt one."""
    rng = random.Random(5)
    listings = list(dev_matcher.listings)
    rated = [
        replace(listing, rating=round(rng.uniform(1, 5), 2), review_count=rng.randint(0, 12))
        for listing in rng.sample(listings, 60)
    ]
    patched = dev_matcher.with_ratings(rated)
    by_id = {listing.id: listing for listing in rated}
    rebuilt = Matcher.build(
        [by_id.get(listing.id, listing) for listing in listings],
        scenario_groups=scenario_groups,
        labels=labels,
    )
    assert patched is not None and patched.classifier is dev_matcher.classifier  # nothing learnt again
    for text in (
        "设备经常突然停机，维修靠事后抢修。",
        "成品外观靠人工目检，漏检多。",
        "Energy bills are high.",
    ):
        profile = Profile(needs_text=text, industry="bearings", budget_wan=30)
        assert patched.rank(profile, limit=30) == rebuilt.rank(profile, limit=30)
    assert dev_matcher.with_ratings([]) is not None


def test_a_change_beyond_ratings_is_no_patch(dev_matcher):
    """A new price, a new listing: the caller must rebuild, never serve a half-updated model."""
    listing = dev_matcher.listings[0]
    assert dev_matcher.with_ratings([replace(listing, price_min_wan=listing.price_min_wan + 1)]) is None
    assert dev_matcher.with_ratings([replace(listing, id="NEW-1")]) is None


def test_the_classifier_trusts_a_script_as_far_as_the_listings_taught_it(make_listing):
    """Listings almost all in Chinese: guesses about an English sentence count for less, Chinese ones fully."""
    chinese = [
        make_listing(id=f"C{n}", scenarios=(code,), name=f"{word}系统{n}", description=f"{word}，提升效率。")
        for n, (code, word) in enumerate(
            [("energy_management", "能耗监测"), ("visual_inspection", "视觉质检")] * 5
        )
    ]
    english = [make_listing(id="E1", name="Energy meter", summary="Energy dashboard", description="Meters.")]
    classifier = train_classifier(chinese + english, codes=("energy_management", "visual_inspection"))
    zh, en = classifier.predict(["车间能耗监测", "energy monitoring"]).sum(axis=1)
    assert zh == pytest.approx(1.0) and 0 < en < 0.5


def test_the_lexicon_teaches_the_classifier_words_no_listing_uses(make_listing):
    """English findings against Chinese listings: the lexicon's clear words, inflected, still point the way."""
    listings = [
        make_listing(id=f"C{n}", scenarios=(code,), name=f"{word}系统", summary=word, description=f"{word}。")
        for n, (code, word) in enumerate(
            [("energy_management", "能耗监测"), ("visual_inspection", "视觉质检")] * 3
        )
    ]
    codes = ("energy_management", "visual_inspection")
    extra = [
        ("energy bills metering kWh", "energy_management"),
        ("defects scratches inspection", "visual_inspection"),
    ]
    taught = train_classifier(listings, codes=codes, extra=extra).predict(
        ["scratched parts", "metered energy"]
    )
    assert list(taught.argmax(axis=1)) == [1, 0]
