"""The findings cut into clauses, each with its scenario signal and the role its cue words give it.

A report holds several findings. Each clause is scored against the scenarios by the lexicon (words of the field)
and by the classifier learnt from the catalogue; cue words then give it a role: background facts about the company,
a need (a pain or a wish), a later-phase need, something already in place, or something not wanted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.classifier import ScenarioClassifier
from matching.lexicon import STRONG, Lexicon

SENTENCE_END = re.compile(r"[。！？；;!?\n]+|(?<=[A-Za-z0-9)])\.\s+")
CLAUSE_BREAK = re.compile(
    r"[，,：:]|(?<=\S)\s*(?:但是|但|不过|另外|此外|同时|however|but|while|although)\s*", re.I
)
CLASSIFIER_WEIGHT = 0.6  # the lexicon knows the field's words; the classifier covers what it misses
MAX_STRONG, MAX_WEAK = 2.0, 0.5  # per clause: repeating a word adds little; hints alone never make a need
WISH = frozenset({"pain", "want", "priority"})


@dataclass(frozen=True)
class Clause:
    """One clause of the findings with what the lexicon and the classifier found in it."""

    text: str
    sentence: int
    signal: np.ndarray  # per scenario code
    words: tuple[tuple[str, str, float], ...]  # (scenario, word as written, weight)
    cues: frozenset[str]

    @property
    def names_topic(self) -> bool:
        """Whether a clear lexicon word names a scenario in this clause."""
        return any(weight >= STRONG for _, _, weight in self.words)


def split_clauses(text: str) -> list[tuple[int, str]]:
    """(sentence number, clause) pairs of a text, Chinese or English punctuation."""
    clauses = []
    sentences = [part for part in SENTENCE_END.split(text) if part.strip()]
    for number, sentence in enumerate(sentences):
        for clause in CLAUSE_BREAK.split(sentence):
            if clause and clause.strip():
                clauses.append((number, clause.strip()))
    return clauses


def scan_clauses(text: str, *, lexicon: Lexicon, classifier: ScenarioClassifier) -> list[Clause]:
    """Every clause of the text with its scenario signal (lexicon + classifier) and cue words."""
    pieces = split_clauses(text)
    codes = classifier.codes
    position = {code: index for index, code in enumerate(codes)}
    learnt = classifier.predict([piece for _, piece in pieces])
    clauses = []
    for row, (sentence, piece) in enumerate(pieces):
        words = tuple(
            (code, hit.word, weight)
            for hit in lexicon.scenarios.find(piece)
            for code, weight in hit.targets
            if code in position
        )
        strong, weak = np.zeros(len(codes)), np.zeros(len(codes))
        for code, _, weight in words:
            (strong if weight >= STRONG else weak)[position[code]] += weight
        signal = np.minimum(strong, MAX_STRONG) + np.minimum(weak, MAX_WEAK) + CLASSIFIER_WEIGHT * learnt[row]
        cues = frozenset(code for hit in lexicon.cues.find(piece) for code, _ in hit.targets)
        clauses.append(Clause(text=piece, sentence=sentence, signal=signal, words=words, cues=cues))
    return clauses


def clause_roles(clauses: Sequence[Clause]) -> list[str]:
    """The role of each clause: need, later, solved, dropped or background."""
    roles = [_role(clause) for clause in clauses]
    # A report opens by presenting the company; its first sentence is background unless it states a pain or wish
    # (or is all there is).
    several = any(clause.sentence > 0 for clause in clauses)
    for index, clause in enumerate(clauses):
        if several and clause.sentence == 0 and roles[index] == "need" and not clause.cues & WISH:
            roles[index] = "background"
    # "这个放到第二期" / "this is already in place" speaks of the clause before it when it names no topic itself.
    for index, clause in enumerate(clauses):
        refers_back = roles[index] in {"later", "solved", "dropped"} and not clause.names_topic
        if index and refers_back and roles[index - 1] in {"need", "background"}:
            roles[index - 1] = roles[index]
    return roles


def _role(clause: Clause) -> str:
    cues = clause.cues
    if "not_needed" in cues:
        return "dropped"
    if "solved" in cues and not cues & WISH:
        return "solved"
    if "later" in cues:
        return "later"
    if "background" in cues and not cues & WISH:
        return "background"
    return "need"
