"""Synonym groups that staff add in the web app, on top of the shipped ``search/data/synonyms.json``.

Pure functions over plain data: validate one group as staff typed it, merge staff groups into the shipped lexicon
data, build a ``Lexicon`` from the merged data. The shipped file is never written; where staff groups are stored
(database, JSON blob) is the caller's business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from catalog.errors import Invalid, bilingual
from catalog.taxonomy import load_taxonomy
from search.lexicon import Lexicon, parse_lexicon, units_of
from search.text import normalize

TERM_MAX = 40
TERMS_MIN = 2
TERMS_MAX = 30
REDUNDANT_KEY = "_redundant"  # leading underscore: like "_about", load_lexicon ignores it
# a textarea may separate terms by lines, commas or enumeration commas; never by spaces ("machine vision")
_TERM_SEPARATORS = re.compile(r"[\n\r,，、;；]")


def _term_key(term: str) -> tuple[str, ...]:
    """The form the lexicon matches a term by (case, width and English plurals folded)."""
    return tuple(key for key, _, _ in units_of(normalize(term)))


def _duplicates(terms: list[str]) -> list[str]:
    """Terms the lexicon would match the same way as an earlier term of the list."""
    seen: set[tuple[str, ...]] = set()
    duplicates = []
    for term in terms:
        if (key := _term_key(term)) in seen:
            duplicates.append(term)
        seen.add(key)
    return duplicates


def _terms(raw: Mapping[str, Any], errors: dict[str, str]) -> list[str]:
    value = raw.get("terms") or []
    if isinstance(value, str):
        value = _TERM_SEPARATORS.split(value)
    if not isinstance(value, list | tuple) or not all(isinstance(term, str) for term in value):
        errors["terms"] = bilingual("应为词语列表", "must be a list of terms")
        return []
    terms = [" ".join(term.split()) for term in value if term.strip()]
    long = [term for term in terms if len(term) > TERM_MAX]
    empty = [term for term in terms if not _term_key(term)]
    duplicates = _duplicates(terms)
    if long:
        errors["terms"] = bilingual(
            f"每个词不能超过 {TERM_MAX} 个字符：{'、'.join(long)}",
            f"each term must be at most {TERM_MAX} characters: {', '.join(long)}",
        )
    elif empty:
        errors["terms"] = bilingual(
            f"词语须含文字或数字：{'、'.join(empty)}", f"terms need letters or digits: {', '.join(empty)}"
        )
    elif duplicates:
        errors["terms"] = bilingual(
            f"组内词语重复：{'、'.join(duplicates)}", f"duplicate terms in the group: {', '.join(duplicates)}"
        )
    elif not TERMS_MIN <= len(terms) <= TERMS_MAX:
        errors["terms"] = bilingual(
            f"一组须有 {TERMS_MIN} 到 {TERMS_MAX} 个词", f"a group needs {TERMS_MIN} to {TERMS_MAX} terms"
        )
    return terms


def _weight(value: Any) -> float | None:
    """A weight in (0, 1], or None."""
    if isinstance(value, bool):
        return None
    try:
        weight = float(value)
    except (TypeError, ValueError):
        return None
    return weight if 0.0 < weight <= 1.0 else None


def _scenarios(raw: Mapping[str, Any], errors: dict[str, str]) -> dict[str, float]:
    value = raw.get("scenarios") or {}
    if isinstance(value, str):
        value = [code for code in value.replace("，", ",").split(",") if code.strip()]
    if isinstance(value, list | tuple):  # a plain list of codes: each at full weight
        value = dict.fromkeys(value, 1.0)
    if not isinstance(value, Mapping) or not all(isinstance(code, str) for code in value):
        errors["scenarios"] = bilingual("应为场景代码及权重", "must be scenario codes with weights")
        return {}
    scenarios = {code.strip(): _weight(weight) for code, weight in value.items()}
    unknown = [code for code in scenarios if code not in load_taxonomy().scenarios]
    if unknown:
        errors["scenarios"] = bilingual(
            f"未知场景代码：{', '.join(unknown)}", f"unknown scenario codes: {', '.join(unknown)}"
        )
    elif any(weight is None for weight in scenarios.values()):
        errors["scenarios"] = bilingual(
            "权重应在 0 到 1 之间（不含 0）", "weights must be above 0 and at most 1"
        )
    return {code: weight for code, weight in scenarios.items() if weight is not None}


def _industries(raw: Mapping[str, Any], errors: dict[str, str]) -> list[str]:
    value = raw.get("industries") or []
    if isinstance(value, str):
        value = [code for code in value.replace("，", ",").split(",") if code.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(code, str) for code in value):
        errors["industries"] = bilingual("应为行业代码列表", "must be a list of industry codes")
        return []
    codes = list(dict.fromkeys(code.strip() for code in value))
    unknown = [code for code in codes if code not in load_taxonomy().industries]
    if unknown:
        errors["industries"] = bilingual(
            f"未知行业代码：{', '.join(unknown)}", f"unknown industry codes: {', '.join(unknown)}"
        )
    return codes


def validate_group(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A synonym group in the lexicon file's shape, or Invalid with a bilingual message per bad field."""
    errors: dict[str, str] = {}
    terms = _terms(raw, errors)
    scenarios = _scenarios(raw, errors)
    industries = _industries(raw, errors)
    if not scenarios and not industries and not errors.keys() & {"scenarios", "industries"}:
        # a group that points nowhere would never be used to widen a search
        errors["scenarios"] = bilingual("请至少指定一个场景或行业", "give at least one scenario or industry")
    if errors:
        raise Invalid(errors)
    group: dict[str, Any] = {"terms": terms}
    if scenarios:
        group["scenarios"] = scenarios
    if industries:
        group["industries"] = industries
    return group


def _adds_nothing(group: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """True when ``other`` already holds every term and at least every scenario weight and industry of ``group``."""
    keys = {_term_key(term) for term in other.get("terms") or ()}
    theirs = other.get("scenarios") or {}
    return (
        all(_term_key(term) in keys for term in group.get("terms") or ())
        and all(
            float(theirs.get(code, 0.0)) >= float(w) for code, w in (group.get("scenarios") or {}).items()
        )
        and set(group.get("industries") or ()) <= set(other.get("industries") or ())
    )


def merge_lexicon(base: Mapping[str, Any], extra_groups: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The shipped lexicon data plus staff groups; groups that add nothing are listed under ``_redundant``."""
    groups = [dict(group) for group in base.get("groups") or ()]
    redundant: list[dict[str, Any]] = []
    for number, group in enumerate(extra_groups):
        covering = next((i for i, other in enumerate(groups) if _adds_nothing(group, other)), None)
        if covering is None:
            groups.append(dict(group))
        else:
            redundant.append(
                {"group": number, "covered_by": covering, "terms": list(group.get("terms") or ())}
            )
    return {**base, "groups": groups, REDUNDANT_KEY: redundant}


def lexicon_from_data(data: Mapping[str, Any]) -> Lexicon:
    """A Lexicon from lexicon data (the file's JSON shape), parsed exactly as ``load_lexicon`` parses the file."""
    return parse_lexicon(data)
