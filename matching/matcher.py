"""The matcher: built once from the published listings, it ranks them for one enterprise's diagnosis."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from typing import NamedTuple

import numpy as np

from matching import features
from matching.classifier import ScenarioClassifier, train_classifier
from matching.lexicon import Lexicon, default_lexicon
from matching.money import own_share
from matching.needs import Reading, read_needs
from matching.reasons import reasons_for
from matching.similarity import TextIndex, build_index
from matching.types import Listing, Match, Need, Profile

MIN_MATCH = 0.05  # listings answering no need better than this are not matches at all
# Word overlap with the findings orders the listings of one need (a listing naming the very machine or defect
# the findings name comes first); scaled by the need's weight it stays below one step of fit.
SIMILARITY_WEIGHT, SHARED_WORDS_WEIGHT = 0.2, 0.2
POOL = 100  # leading candidates re-ordered by word overlap beyond the page asked for


class Scored(NamedTuple):
    """The listings answering a need (rows in catalogue order) with their scores."""

    rows: np.ndarray
    score: np.ndarray
    scenario: np.ndarray  # index of the need scenario each answers
    strength: np.ndarray  # weight of that need times how the listing carries it (primary tag or not)


class Matcher:
    """Ranks published listings for a profile; pure and deterministic (ties broken by listing id)."""

    def __init__(
        self,
        listings: Sequence[Listing],
        *,
        columns: features.Columns,
        classifier: ScenarioClassifier,
        index: TextIndex,
        lexicon: Lexicon,
        labels: Mapping[str, tuple[str, str]],
        groups: Mapping[str, str],
    ):
        self.listings = tuple(listings)
        self.columns = columns
        self.classifier = classifier
        self.index = index
        self.lexicon = lexicon
        self.labels = dict(labels)
        self.groups = dict(groups)

    @classmethod
    def build(
        cls,
        listings: Sequence[Listing],
        *,
        scenario_groups: Mapping[str, str],
        labels: Mapping[str, tuple[str, str]] | None = None,
        lexicon: Lexicon | None = None,
    ) -> Matcher:
        """Learn the scenario classifier from the listings and lay them out as arrays.

        scenario_groups maps every scenario code to its group code (the taxonomy): it is the scenario vocabulary
        (in its order) and names the group in the reasons. labels optionally maps scenario, group and industry
        codes to (Chinese, English) names for the reasons; lexicon defaults to data/lexicon.json.
        """
        ordered = sorted(listings, key=lambda listing: listing.id)
        tagged = {code for listing in ordered for code in listing.scenarios}
        codes = tuple(scenario_groups) + tuple(sorted(tagged - set(scenario_groups)))
        lexicon = lexicon or default_lexicon()
        return cls(
            ordered,
            columns=features.build_columns(ordered, codes=codes),
            classifier=train_classifier(ordered, codes=codes, extra=lexicon.examples),
            index=build_index(ordered),
            lexicon=lexicon,
            labels=labels or {},
            groups=scenario_groups,
        )

    def with_ratings(self, changed: Sequence[Listing]) -> Matcher | None:
        """This model with the `changed` listings' ratings, when their ratings are all that changed (else None:
        the caller rebuilds). Only the tie-breaker column is recomputed: a stream of reviews never makes a process
        learn the catalogue again, and the result ranks exactly as a model built from the new listings would."""
        listings = list(self.listings)
        rows = []
        for listing in changed:
            row = self._rows.get(listing.id)
            if row is None:
                return None
            if replace(listings[row], rating=listing.rating, review_count=listing.review_count) != listing:
                return None
            listings[row] = listing
            rows.append(row)
        constant = self.columns.constant.copy()
        if rows:
            constant[rows] = features.tie_breakers([listings[row] for row in rows])
        parts = {name: getattr(self, name) for name in ("classifier", "index", "lexicon", "labels", "groups")}
        return Matcher(listings, columns=replace(self.columns, constant=constant), **parts)

    @cached_property
    def _rows(self) -> dict[str, int]:
        """Row of each listing id."""
        return {listing.id: row for row, listing in enumerate(self.listings)}

    def read_needs(self, profile: Profile) -> list[Need]:
        """The needs understood from the findings (strongest first), each with its evidence words."""
        return list(self.reading(profile).needs)

    def reading(self, profile: Profile) -> Reading:
        """Everything read from the findings: needs, what is already in place, the text that states needs."""
        return read_needs(
            profile.needs_text,
            lexicon=self.lexicon,
            classifier=self.classifier,
            target_scenarios=profile.target_scenarios,
            solved=profile.solved,
        )

    def scores(self, profile: Profile, reading: Reading) -> Scored:
        """The listings that answer a need, with their scores, the need scenario each answers and how strongly.

        score = strength of the need answered x (fit of industry and budget + small tie-breakers), so that a
        tie-breaker never lifts a listing past one that fits a grade better for the same need.
        """
        columns = self.columns
        weights = np.zeros(len(columns.codes))
        for need in reading.needs:
            weights[columns.codes.index(need.scenario)] = need.weight
        strength, scenario = features.need_match(columns, weights)
        solved = np.array([code in reading.solved for code in columns.codes] + [False])
        rows = np.flatnonzero((strength >= MIN_MATCH) & ~solved[columns.primary])
        fit = features.GRADE_BASE + features.industry_fit(columns, profile.industry, rows)
        fit = np.maximum(fit + features.budget_fit(columns, profile, rows), 0.1)
        fit += features.extras(columns, profile, rows)
        return Scored(rows, strength[rows] * fit, scenario[rows], strength[rows])

    def rank(
        self,
        profile: Profile,
        *,
        limit: int = 10,
        offset: int = 0,
        allowed: Callable[[Listing], bool] | None = None,
    ) -> list[Match]:
        """The best listings for the profile, best first, with reasons.

        allowed, if given, is asked about candidates in ranked order (never about the whole catalogue) until the
        page is full, so it may be as slow as a database lookup per call.
        """
        reading = self.reading(profile)
        scored = self.scores(profile, reading)
        evidence = {self.columns.codes.index(need.scenario): need.evidence for need in reading.needs}

        def overlap(picked: np.ndarray) -> np.ndarray:
            rows = scored.rows[picked]
            words = [evidence.get(int(code), ()) for code in scored.scenario[picked]]
            similar = self.index.similarity(reading.focus, rows)
            shared = self.index.shared_words(rows, words)
            return scored.strength[picked] * (SIMILARITY_WEIGHT * similar + SHARED_WORDS_WEIGHT * shared)

        page = [
            self._match(profile, reading, int(scored.rows[at]), total, int(scored.scenario[at]))
            for at, total in self._ranked(scored, overlap, allowed, limit + offset)
        ]
        return page[offset:]

    def _ranked(
        self,
        scored: Scored,
        overlap: Callable[[np.ndarray], np.ndarray],
        allowed: Callable[[Listing], bool] | None,
        wanted: int,
    ) -> list[tuple[int, float]]:
        """(position in `scored`, final score) of the best `wanted` allowed listings.

        The leading `wanted + POOL` candidates by score are re-ordered with word overlap; should `allowed` refuse
        most of them, the next block follows, and so on. Ties fall to catalogue order, which is id order.
        """
        page: list[tuple[int, float]] = []
        for block in _blocks(scored.rows, scored.score, wanted + POOL) if wanted > 0 else ():
            total = scored.score[block] + overlap(block)
            for at in np.lexsort((scored.rows[block], -total)):
                if allowed is None or allowed(self.listings[scored.rows[block[at]]]):
                    page.append((int(block[at]), float(total[at])))
                    if len(page) >= wanted:
                        return page
        return page

    def _match(self, profile: Profile, reading: Reading, row: int, score: float, scenario: int) -> Match:
        listing = self.listings[row]
        code = self.columns.codes[scenario] if scenario < len(self.columns.codes) else None
        need = next((need for need in reading.needs if need.scenario == code), None)
        return Match(
            id=listing.id,
            score=round(score, 6),
            reasons=reasons_for(listing, profile=profile, need=need, labels=self.labels, groups=self.groups),
            scenario=code,
            own_share_min_wan=own_share(
                listing.price_min_wan, rate=profile.subsidy_rate, cap_wan=profile.subsidy_cap_wan
            ),
        )


def _blocks(rows: np.ndarray, scores: np.ndarray, size: int) -> Iterator[np.ndarray]:
    """Positions into rows/scores in blocks of `size`, best score first, ties by row; the first found cheaply."""
    positions = np.arange(len(rows))
    if len(rows) > size:
        # Everything scoring at least the size-th best score, ties included, then cut: exact and O(n).
        kth = -np.partition(-scores, size - 1)[size - 1]
        head = np.flatnonzero(scores >= kth)
        head = head[np.lexsort((rows[head], -scores[head]))][:size]
        yield head
        positions = np.setdiff1d(positions, head, assume_unique=True)
    order = positions[np.lexsort((rows[positions], -scores[positions]))]
    for start in range(0, len(order), size):
        yield order[start : start + size]
