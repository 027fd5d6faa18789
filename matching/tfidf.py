"""TF-IDF rows for a few short texts at a time, without scikit-learn's per-call checks (they cost milliseconds)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


class TfidfRows:
    """The transform of a fitted TfidfVectorizer (sublinear tf, idf, L2 norm) for texts at query time."""

    def __init__(self, vectorizer: TfidfVectorizer):
        if not (vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"):
            raise ValueError("TfidfRows reproduces sublinear, idf-weighted, L2-normalised vectorizers only")
        self.vectorizer = vectorizer
        self._analyzer: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._idf: np.ndarray = vectorizer.idf_

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Rows equal to vectorizer.transform(texts), as float64 CSR."""
        width = len(self._idf)
        keys: list[int] = []
        lookup = self._vocabulary.get
        for row, text in enumerate(texts):
            offset = row * width
            keys.extend(offset + column for column in map(lookup, self._analyzer(text)) if column is not None)
        # One key per (row, column): the unique keys come out sorted by row, then column, with their counts.
        unique, counts = np.unique(np.array(keys, dtype=np.int64), return_counts=True)
        rows, columns = np.divmod(unique, width)
        weights = (1.0 + np.log(counts)) * self._idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(texts)))
        weights /= np.where(norms > 0, norms, 1.0)[rows]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
        return sparse.csr_matrix((weights, columns, indptr), shape=(len(texts), width))
