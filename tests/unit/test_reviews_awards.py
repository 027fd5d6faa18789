"""Award score, eligibility, ranking, rank stability and the shortlist built from reviews and engagements."""

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from reviews.awards import (
    COMPONENTS,
    AwardWeights,
    Candidate,
    award_score,
    contributions,
    rank,
    review_recency,
    transformation_results,
)
from reviews.eligibility import CandidateFacts, EligibilityRules, check_eligibility
from reviews.records import EngagementRecord
from reviews.scoring import ItemRating
from reviews.shortlist import ShortlistSettings, shortlist
from reviews.stability import rank_ranges, weight_variants
from tests.unit.review_records import review_maker

TZ = timezone(timedelta(hours=8))
AS_OF = datetime(2027, 6, 30, 12, 0, tzinfo=TZ)


def rating(item: str = "X", *, count: int = 10, enterprises: int = 10, shrunk: float = 4.0) -> ItemRating:
    """An item rating with the given count and shrunk value."""
    return ItemRating(item, count, enterprises, shrunk, 3.5, 5, shrunk, {}, None, None)


def facts(item: str = "X", **over) -> CandidateFacts:
    """Candidate facts that pass the default rules unless told otherwise."""
    fields = {"rating": rating(item), "accepted": 10, "reviews_in_window": 10, "held": 0} | over
    return CandidateFacts(item_id=item, **fields)


def candidate(item: str, *, count: int = 10, **components: float) -> Candidate:
    """An eligible candidate with the given components (missing ones are 0)."""
    values = {name: components.get(name, 0.0) for name in COMPONENTS}
    fact = facts(item, rating=rating(item, count=count))
    return Candidate(item, "provider", fact, values, check_eligibility(fact, rules=EligibilityRules()))


@pytest.fixture
def make_review():
    """Factory for counted reviews (verified, recent, each from its own enterprise)."""
    return review_maker(created_at=lambda n: AS_OF - timedelta(days=30), account_age=timedelta(days=370))


@pytest.fixture
def make_engagement():
    """Factory for accepted engagements lifting an enterprise from level 1 to 2."""
    numbers = itertools.count(1)

    def make(**over) -> EngagementRecord:
        n = next(numbers)
        fields = {
            "id": f"G{n}",
            "enterprise_id": f"E{n}",
            "provider_id": "S1",
            "product_ids": ("P1",),
            "state": "accepted",
            "level_before": 1,
            "level_after": 2,
            "accepted_on": date(2027, 1, 15),
        }
        return EngagementRecord(**(fields | over))

    return make


def test_default_weights_are_documented_and_sum_to_one():
    weights = AwardWeights()

    assert tuple(weights.as_dict()) == COMPONENTS == ("rating", "success", "uplift", "volume", "recency")
    assert sum(weights.as_dict().values()) == pytest.approx(1.0)


@pytest.mark.parametrize("over", [{"rating": -0.1}, dict.fromkeys(COMPONENTS, 0.0)])
def test_weights_must_be_non_negative_with_a_positive_sum(over):
    with pytest.raises(ValueError):
        AwardWeights(**over)


def test_score_is_the_weighted_sum_with_contributions_shown():
    entry = candidate("X", rating=0.75, success=1.0, uplift=1 / 3, volume=0.5, recency=0.8)

    parts = contributions(entry, AwardWeights())

    assert parts == pytest.approx(
        {"rating": 30.0, "success": 20.0, "uplift": 20 / 3, "volume": 5.0, "recency": 8.0}
    )
    assert award_score(entry, AwardWeights()) == pytest.approx(sum(parts.values()))


def test_weights_are_relative():
    entry = candidate("X", rating=0.5, success=1.0)
    doubled = AwardWeights(**{name: 2 * value for name, value in AwardWeights().as_dict().items()})

    assert award_score(entry, doubled) == pytest.approx(award_score(entry, AwardWeights()))


def test_rank_orders_by_score_then_reviews_then_id():
    entries = [
        candidate("B", count=5, rating=0.5),
        candidate("A", count=5, rating=0.5),
        candidate("C", count=9, rating=0.5),
        candidate("D", rating=0.9),
    ]

    assert [c.item_id for c, _ in rank(entries, AwardWeights())] == ["D", "C", "A", "B"]


def test_ineligible_candidates_are_not_ranked():
    eligible = candidate("OK", rating=0.5)
    suspended = replace(
        candidate("BAD", rating=1.0),
        checks=check_eligibility(facts("BAD"), rules=EligibilityRules(), suspended={"BAD"}),
    )

    assert [c.item_id for c, _ in rank([eligible, suspended], AwardWeights())] == ["OK"]


def test_every_rule_is_reported_with_its_reason():
    checks = check_eligibility(
        facts(rating=rating(enterprises=2), accepted=4),
        rules=EligibilityRules(min_enterprises=3, min_accepted=3),
    )

    assert [(c.code, c.passed) for c in checks] == [
        ("not_suspended", True),
        ("min_enterprises", False),
        ("min_accepted", True),
        ("max_held_share", True),
    ]
    assert checks[1].reason("zh") == "有效评价来自 2 家企业（至少 3 家）"
    assert checks[1].reason("en") == "counted reviews from 2 distinct enterprises (at least 3 required)"


@pytest.mark.parametrize(
    ("over", "failed"),
    [
        ({}, []),
        ({"accepted": 2}, ["min_accepted"]),
        ({"rating": rating(enterprises=2)}, ["min_enterprises"]),
        ({"rating": rating(enterprises=3), "accepted": 3}, []),  # exactly at the minimum passes
        ({"held": 4, "reviews_in_window": 10}, ["max_held_share"]),
        ({"held": 3, "reviews_in_window": 10}, []),  # 30% is still allowed
    ],
)
def test_eligibility_pass_fail(over, failed):
    checks = check_eligibility(facts(**over), rules=EligibilityRules(min_enterprises=3, min_accepted=3))

    assert [c.code for c in checks if not c.passed] == failed


def test_suspended_candidate_fails_with_a_reason():
    checks = check_eligibility(facts("S9"), rules=EligibilityRules(), suspended={"S9"})

    assert [c.reason("en") for c in checks if not c.passed] == ["suspended or delisted"]


def test_weight_variants_move_one_weight_at_a_time_by_20_percent():
    base = AwardWeights()

    variants = weight_variants(base)

    assert len(variants) == 1 + 2 * len(COMPONENTS)
    for variant in variants[1:]:
        changed = {n: v for n, v in variant.as_dict().items() if v != base.as_dict()[n]}
        assert len(changed) == 1
        ((name, value),) = changed.items()
        assert value / base.as_dict()[name] in (pytest.approx(0.8), pytest.approx(1.2))


def test_weight_grid_covers_every_combination():
    assert len(weight_variants(AwardWeights(), grid=True)) == 3 ** len(COMPONENTS)


def test_rank_ranges_hand_worked():
    # X: 40 points from rating alone; Y: 20 + 19 = 39 from results; Z: 10 everywhere.
    # Raising the uplift weight by 20% gives Y (0.2 + 0.24 * 0.95) / 1.04 = 41.2 against X's 38.5: they swap.
    entries = [
        candidate("X", rating=1.0),
        candidate("Y", success=1.0, uplift=0.95),
        candidate("Z", **dict.fromkeys(COMPONENTS, 0.1)),
    ]

    ranges = rank_ranges(entries, weights=AwardWeights())

    assert ranges == {"X": (1, 2), "Y": (1, 2), "Z": (3, 3)}


def test_a_dominant_candidate_is_stable():
    entries = [
        candidate("TOP", **dict.fromkeys(COMPONENTS, 0.9)),
        candidate("LOW", **dict.fromkeys(COMPONENTS, 0.2)),
    ]

    assert rank_ranges(entries, weights=AwardWeights(), grid=True) == {"TOP": (1, 1), "LOW": (2, 2)}


def test_transformation_results_count_accepted_engagements_only(make_engagement):
    engagements = [
        make_engagement(level_before=1, level_after=2),
        make_engagement(level_before=1, level_after=4, product_ids=("P1", "P2")),
        make_engagement(level_before=2, level_after=2),
        make_engagement(level_before=1, level_after=1),
        make_engagement(state="active", level_after=None, accepted_on=None),
        make_engagement(accepted_on=date(2027, 7, 1)),  # after as_of
    ]

    by_provider = transformation_results(engagements, kind="provider", as_of=AS_OF)
    by_product = transformation_results(engagements, kind="product", as_of=AS_OF)

    assert by_provider["S1"].accepted == 4
    assert by_provider["S1"].reaching_level2 == 3
    assert by_provider["S1"].mean_uplift == pytest.approx((1 + 3 + 0 + 0) / 4)
    assert (by_product["P2"].accepted, by_product["P2"].mean_uplift) == (1, 3.0)


def test_recency_halves_every_half_life(make_review):
    fresh = make_review(created_at=AS_OF)
    year_old = make_review(created_at=AS_OF - timedelta(days=365))

    assert review_recency([fresh], as_of=AS_OF, half_life_days=365) == 1.0
    assert review_recency([year_old], as_of=AS_OF, half_life_days=365) == pytest.approx(0.5)
    assert review_recency([], as_of=AS_OF, half_life_days=365) == 0.0


@pytest.fixture
def pilot(make_review, make_engagement):
    """Three providers with five accepted clients each; S1 best rated, S3 with too few reviewers."""
    engagements, reviews = [], []
    for provider, score, reviewers in (("S1", 5, 5), ("S2", 4, 5), ("S3", 5, 2)):
        for n in range(5):
            engagement = make_engagement(provider_id=provider, enterprise_id=f"{provider}-E{n}")
            engagements.append(engagement)
            if n < reviewers:
                reviews.append(
                    make_review(
                        engagement_id=engagement.id,
                        enterprise_id=engagement.enterprise_id,
                        provider_id=provider,
                        **dict.fromkeys(("effect", "delivery", "cost", "service"), score),
                    )
                )
    return engagements, reviews


def test_shortlist_ranks_eligible_and_explains_the_rest(pilot):
    engagements, reviews = pilot

    result = shortlist(kind="provider", reviews=reviews, engagements=engagements, as_of=AS_OF)

    assert result.proposed_ids == ["S1", "S2"]
    assert result.top == 8
    assert [entry.rank for entry in result.ranked] == [1, 2]
    first = result.ranked[0]
    assert sum(first.contributions.values()) == pytest.approx(first.score)
    assert first.rank_range == (1, 1)
    (excluded,) = result.ineligible
    assert excluded.item_id == "S3"
    assert [c.reason("en") for c in excluded.checks if not c.passed] == [
        "counted reviews from 2 distinct enterprises (at least 5 required)"
    ]


def test_held_reviews_do_not_count(pilot):
    engagements, reviews = pilot
    held = {r.id for r in reviews if r.provider_id == "S1"}

    settings = ShortlistSettings(
        rules=EligibilityRules(min_enterprises=0, min_accepted=5, max_held_share=1.0)
    )
    result = shortlist(
        kind="provider",
        reviews=reviews,
        engagements=engagements,
        as_of=AS_OF,
        held_ids=held,
        settings=settings,
    )

    s1 = next(entry for entry in result.ranked if entry.candidate.item_id == "S1")
    assert s1.candidate.rating.count == 0
    assert result.proposed_ids[0] != "S1"


def test_many_held_reviews_make_a_candidate_ineligible(pilot):
    engagements, reviews = pilot
    held = {r.id for r in reviews if r.provider_id == "S1"}

    result = shortlist(kind="provider", reviews=reviews, engagements=engagements, as_of=AS_OF, held_ids=held)

    s1 = next(c for c in result.ineligible if c.item_id == "S1")
    assert {c.code for c in s1.checks if not c.passed} == {"min_enterprises", "max_held_share"}


def test_suspended_provider_is_never_proposed(pilot):
    engagements, reviews = pilot

    result = shortlist(
        kind="provider", reviews=reviews, engagements=engagements, as_of=AS_OF, suspended={"S1"}
    )

    assert result.proposed_ids == ["S2"]


def test_product_shortlist_proposes_ten_by_default(make_review, make_engagement):
    engagements = [make_engagement(product_ids=(f"P{n}",)) for n in range(12) for _ in range(3)]
    reviews = [
        make_review(engagement_id=e.id, enterprise_id=e.enterprise_id, product_id=e.product_ids[0])
        for e in engagements
    ]

    result = shortlist(kind="product", reviews=reviews, engagements=engagements, as_of=AS_OF)

    assert len(result.ranked) == 12
    assert len(result.proposed) == 10
