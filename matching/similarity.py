"""Word overlap between the findings and each listing's own text: a tie-breaker inside one need's listings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.tfidf import TfidfRows
from matching.types import Listing

# The name and summary say what a product is (and are short enough to index 100,000 listings quickly); the
# start of the description adds whom it is for, for finding the findings' own words.
DESCRIPTION_CHARS = 160


@dataclass(frozen=True)
class TextIndex:
    """TF-IDF rows (L2-normalised, float32) of the listings, in catalogue order."""

    vectorizer: TfidfRows | None
    matrix: sparse.csr_matrix | None
    texts: tuple[str, ...]  # lower-cased listing texts, for finding the findings' own words in them

    def shared_words(self, rows: np.ndarray, words: Sequence[Sequence[str]]) -> np.ndarray:
        """Share (0..1) of each row's words of the findings that its listing's text also uses."""
        shares = np.zeros(len(rows))
        for position, (row, wanted) in enumerate(zip(rows, words, strict=True)):
            if wanted:
                text = self.texts[row]
                shares[position] = sum(word.lower() in text for word in wanted) / len(wanted)
        return shares

    def similarity(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Cosine similarity (0..1) of the text to the listings at the given rows."""
        if self.vectorizer is None or self.matrix is None or not text.strip() or not len(rows):
            return np.zeros(len(rows))
        query = self.vectorizer.transform([text])
        dense = np.zeros(query.shape[1], dtype=np.float32)  # a dense query keeps the product sparse x dense
        dense[query.indices] = query.data
        return np.asarray(self.matrix[rows] @ dense, dtype=float)


def listing_text(listing: Listing) -> str:
    """The words of a listing searched for the findings' own words."""
    return f"{listing.name} {listing.summary} {listing.description[:DESCRIPTION_CHARS]}"


def headline(listing: Listing) -> str:
    """The words of a listing the TF-IDF similarity reads."""
    return f"{listing.name} {listing.summary}"


def build_index(listings: Sequence[Listing]) -> TextIndex:
    """Fit the TF-IDF vocabulary on the listings and keep their rows."""
    texts = tuple(listing_text(listing).lower() for listing in listings)
    headlines = [headline(listing) for listing in listings]
    if not any(text.strip() for text in headlines):
        return TextIndex(vectorizer=None, matrix=None, texts=texts)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(headlines).tocsr()
    return TextIndex(vectorizer=TfidfRows(vectorizer), matrix=matrix, texts=texts)
