"""Plain-words reasons for one match, in Chinese and English, for a factory owner to read."""

from __future__ import annotations

from collections.abc import Mapping

from matching.money import own_share, subsidy
from matching.types import Listing, Need, Profile, Reason

DEPLOYMENTS = {
    "saas": ("SaaS 云服务", "SaaS"),
    "on_premise": ("本地部署", "on-premise"),
    "hybrid": ("混合部署", "hybrid"),
}
MIN_REVIEWS = 3  # a rating says something only once a few enterprises have reviewed


def _label(labels: Mapping[str, tuple[str, str]], code: str) -> tuple[str, str]:
    return labels.get(code, (code, code.replace("_", " ")))


def _wan(amount: float) -> str:
    return f"{amount:g}"


def need_reason(
    need: Need,
    *,
    labels: Mapping[str, tuple[str, str]],
    primary: bool,
    group: str | None = None,
    listing_text: str = "",
) -> Reason:
    """Which need of the findings the listing answers (and its scenario group), quoting the words that raised it.

    Words of the findings that the listing's own text also uses are pointed out.
    """
    zh, en = _label(labels, need.scenario)
    if group is not None and group in labels:
        zh, en = f"{zh}（{labels[group][0]}）", f"{en} ({labels[group][1]})"
    how_zh, how_en = ("主打", "Built for") if primary else ("兼顾", "Also covers")
    sources_zh, sources_en = [], []
    if need.evidence:
        sources_zh.append("诊断中提到" + "、".join(f"“{word}”" for word in need.evidence))
        sources_en.append("your findings say " + ", ".join(f'"{word}"' for word in need.evidence))
    if need.ticked:
        sources_zh.append("诊断表中勾选了该场景")
        sources_en.append("you ticked it on the diagnosis form")
    echoed = [word for word in need.evidence if word.lower() in listing_text.lower()]
    if echoed:
        sources_zh.append("产品介绍中也提到" + "、".join(f"“{word}”" for word in echoed))
        sources_en.append("the product also mentions " + ", ".join(f'"{word}"' for word in echoed))
    later_zh, later_en = (
        ("（诊断中列为后续需求）", " (a later-phase need in your diagnosis)") if need.later else ("", "")
    )
    return Reason(
        kind="need",
        zh=f"{how_zh}“{zh}”：{'；'.join(sources_zh)}{later_zh}",
        en=f"{how_en} {en}: {'; '.join(sources_en)}{later_en}",
        evidence=need.evidence,
    )


def industry_reason(
    listing: Listing, *, industry: str | None, labels: Mapping[str, tuple[str, str]]
) -> Reason:
    """Whether the listing is built for the enterprise's industry, general, or made for others."""
    if not listing.industries:
        return Reason(kind="industry", zh="通用产品，适用于各行业", en="A general product for every industry")
    names = [_label(labels, code) for code in listing.industries]
    if industry in listing.industries:
        zh, en = _label(labels, industry)
        return Reason(kind="industry", zh=f"专为{zh}行业打造", en=f"Built for your industry: {en}")
    return Reason(
        kind="industry",
        zh=f"面向{'、'.join(zh for zh, _ in names)}行业，与贵企业行业不同",
        en=f"Built for {', '.join(en for _, en in names)}, not your industry",
    )


def budget_reason(listing: Listing, profile: Profile) -> Reason:
    """The price against the budget, with the enterprise's own share of the lowest price after the subsidy."""
    price = listing.price_min_wan
    aid = subsidy(price, rate=profile.subsidy_rate, cap_wan=profile.subsidy_cap_wan)
    share = own_share(price, rate=profile.subsidy_rate, cap_wan=profile.subsidy_cap_wan)
    span = f"{_wan(price)}–{_wan(listing.price_max_wan)}"
    sums_zh = f"按起价{_wan(price)}万元计，补贴{_wan(round(aid, 4))}万元，企业自付{_wan(share)}万元"
    sums_en = (
        f"at the lowest price {_wan(price)}: subsidy {_wan(round(aid, 4))}, your share {_wan(share)} (万元)"
    )
    if profile.budget_wan is None:
        return Reason(kind="budget", zh=f"报价{span}万元；{sums_zh}", en=f"Price {span} 万元; {sums_en}")
    fits = price <= profile.budget_wan
    zh_fit = "在预算内" if fits else "超出预算"
    en_fit = "within" if fits else "over"
    return Reason(
        kind="budget",
        zh=f"报价{span}万元，{zh_fit}（预算{_wan(profile.budget_wan)}万元）；{sums_zh}",
        en=f"Price {span} 万元, {en_fit} your budget of {_wan(profile.budget_wan)}; {sums_en}",
    )


def delivery_reason(listing: Listing) -> Reason:
    """How long delivery takes."""
    days = listing.delivery_days
    return Reason(kind="delivery", zh=f"约{days}天交付上线", en=f"Delivered in about {days} days")


def deployment_reason(listing: Listing, preferred: str | None) -> Reason | None:
    """Whether the deployment is the one the enterprise prefers (no reason without a preference)."""
    if not preferred:
        return None
    zh, en = DEPLOYMENTS.get(listing.deployment, (listing.deployment, listing.deployment))
    if listing.deployment == preferred:
        return Reason(kind="deployment", zh=f"{zh}，符合贵企业的部署偏好", en=f"{en}, as you prefer")
    wanted_zh, wanted_en = DEPLOYMENTS.get(preferred, (preferred, preferred))
    return Reason(kind="deployment", zh=f"{zh}（贵企业偏好{wanted_zh}）", en=f"{en} (you prefer {wanted_en})")


def rating_reason(listing: Listing) -> Reason | None:
    """The rating, once enough reviews exist."""
    if listing.rating is None or listing.review_count < MIN_REVIEWS:
        return None
    return Reason(
        kind="rating",
        zh=f"用户评分{listing.rating:.1f}分（{listing.review_count}条评价）",
        en=f"Rated {listing.rating:.1f} from {listing.review_count} reviews",
    )


def reasons_for(
    listing: Listing,
    *,
    profile: Profile,
    need: Need | None,
    labels: Mapping[str, tuple[str, str]],
    groups: Mapping[str, str],
) -> tuple[Reason, ...]:
    """All reasons for one match, the need first."""
    reasons = [
        need_reason(
            need,
            labels=labels,
            primary=listing.scenarios[:1] == (need.scenario,),
            group=groups.get(need.scenario),
            listing_text=f"{listing.name} {listing.summary} {listing.description}",
        )
        if need
        else None,
        industry_reason(listing, industry=profile.industry, labels=labels),
        budget_reason(listing, profile),
        delivery_reason(listing),
        deployment_reason(listing, profile.preferred_deployment),
        rating_reason(listing),
    ]
    return tuple(reason for reason in reasons if reason is not None)
