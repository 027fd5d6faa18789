"""A scenario classifier learnt from the catalogue itself: every tagged listing's sentences are labelled examples."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from matching.tfidf import TfidfRows
from matching.types import Listing

# Enough examples per scenario to learn its words; more only slows start-up on a very large catalogue.
MAX_LISTINGS_PER_SCENARIO = 80
# A linear SVM's margins turned into probabilities by a softmax; margins of findings sentences are small (they
# are written far from catalogue prose), so a steep softmax lets the best guess count.
SHARPNESS = 15.0
SENTENCE_END = re.compile(r"[。！？；;!?\n]+|(?<=[A-Za-z0-9)])\.\s+")


@dataclass(frozen=True)
class ScenarioClassifier:
    """Probability of each scenario code for short texts; `codes` gives the column order."""

    codes: tuple[str, ...]
    vectorizer: TfidfRows | None = None  # None when there are fewer than two scenarios to tell apart
    weights: np.ndarray | None = None  # (features, len(codes)); codes the model never saw keep -inf logits
    intercept: np.ndarray | None = None
    # How far to trust a guess about a text in Latin letters (True) or in Chinese (False): a script the listings
    # seldom use taught the model little, and its guesses there are mostly noise.
    script_trust: tuple[tuple[bool, float], ...] = ((False, 1.0), (True, 1.0))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), len(codes)) array of probabilities (rows sum to the trust in the text's script, at most
        1; all zero without a model)."""
        if self.vectorizer is None or self.weights is None or self.intercept is None or not texts:
            return np.zeros((len(texts), len(self.codes)))
        logits = SHARPNESS * (self.vectorizer.transform(texts) @ self.weights + self.intercept)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        trust = dict(self.script_trust)
        scale = np.array([trust[in_latin_letters(text)] for text in texts])
        return scale[:, None] * exp / exp.sum(axis=1, keepdims=True)


def in_latin_letters(text: str) -> bool:
    """Whether most letters of the text are Latin (English findings) rather than Chinese."""
    letters = [char for char in text if char.isalpha()]
    return sum(char.isascii() for char in letters) * 2 > len(letters) > 0


def script_trust(texts: Sequence[str]) -> tuple[tuple[bool, float], ...]:
    """Trust per script: its share of the training sentences against the larger share (1.0 for the larger)."""
    latin = sum(in_latin_letters(text) for text in texts)
    shares = {False: len(texts) - latin, True: latin}
    most = max(shares.values()) or 1
    return tuple((script, count / most) for script, count in shares.items())


def training_examples(
    listings: Sequence[Listing], extra: Sequence[tuple[str, str]] = ()
) -> tuple[list[str], list[str]]:
    """Distinct sentences of the listings with their primary scenario, MAX_LISTINGS_PER_SCENARIO listings each,
    then the `extra` (text, scenario) examples (the lexicon's).

    Repeated sentences (a provider's boilerplate) count once: they teach nothing new and slow the fit down.
    """
    taken: dict[str, int] = {}
    examples: dict[tuple[str, str], None] = {}
    for listing in sorted(listings, key=lambda item: item.id):
        if not listing.scenarios or taken.get(listing.scenarios[0], 0) >= MAX_LISTINGS_PER_SCENARIO:
            continue
        taken[listing.scenarios[0]] = taken.get(listing.scenarios[0], 0) + 1
        for sentence in [listing.name, listing.summary, *SENTENCE_END.split(listing.description)]:
            if len(sentence.strip()) >= 4:
                examples[(sentence.strip(), listing.scenarios[0])] = None
    examples.update(dict.fromkeys(extra))
    return [text for text, _ in examples], [label for _, label in examples]


def train_classifier(
    listings: Sequence[Listing], *, codes: Sequence[str], extra: Sequence[tuple[str, str]] = ()
) -> ScenarioClassifier:
    """Fit the classifier on the listings' own sentences and the `extra` (text, scenario) examples of scenarios
    among `codes` (deterministic: fixed order and seed)."""
    known = set(codes)
    texts, labels = training_examples(listings, [(text, code) for text, code in extra if code in known])
    if len(set(labels)) < 2:
        return ScenarioClassifier(codes=tuple(codes))
    # Char n-grams read Chinese without a word segmenter; a linear SVM trains in a fraction of a second.
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32)
    model = LinearSVC(C=2.0, random_state=0)
    model.fit(vectorizer.fit_transform(texts), labels)
    # Lay the learnt weights out in `codes` order; a code without examples can never be predicted.
    coef, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # a binary model keeps one row: the second class against the first at zero
        coef, bias = np.vstack([np.zeros_like(coef[0]), coef[0]]), np.array([0.0, bias[0]])
    weights = np.zeros((coef.shape[1], len(codes)))
    intercept = np.full(len(codes), -np.inf)
    for row, code in enumerate(model.classes_):
        weights[:, list(codes).index(code)] = coef[row]
        intercept[list(codes).index(code)] = bias[row]
    return ScenarioClassifier(
        codes=tuple(codes),
        vectorizer=TfidfRows(vectorizer),
        weights=weights,
        intercept=intercept,
        script_trust=script_trust(texts),
    )
