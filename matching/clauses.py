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
from matching.lexicon import STRONG, Hit, Lexicon

# A full stop after a short abbreviation ("Eng. notes", "incl. prototype", "approx. 40") ends no sentence.
ABBREVIATIONS = ("approx", "incl", "excl", "eng", "mfg", "qty", "vs", "e.g", "i.e", "esp", "resp", "cf")
SENTENCE_END = re.compile(
    r"[。！？；;!?\n]+|(?<=[A-Za-z0-9)])"
    + "".join(rf"(?<!\b{re.escape(word)})" for word in ABBREVIATIONS)
    + r"\.\s+",
    re.I,
)
# A comma or colon between digits belongs to a number ("4,000 drums", "12:30"); an English connective is a whole
# word ("but" is not in "distribution").
CLAUSE_BREAK = re.compile(
    r"[，：]|(?<!\d)[,:]|[,:](?!\d)|(?<=\S)\s*(?:但是|但|不过(?![来去分])|另外|此外|同时)\s*"
    r"|\s*\b(?:however|but|while|although|though|whereas|meanwhile)\b\s*",
    re.I,
)
CLASSIFIER_WEIGHT = 0.6  # the lexicon knows the field's words; the classifier covers what it misses
MAX_STRONG, MAX_WEAK = 2.0, 0.5  # per clause: repeating a word adds little; hints alone never make a need
WISH = frozenset({"pain", "want", "priority"})
# A Chinese list that ends "...都有" / "...都在上面" says all of it is in place ("DCS、SIS、人员定位都有"); inside a clause
# the same words say something else ("每天都有不良品"), so they count only where the clause ends.
ALL_IN_PLACE = re.compile(r"(?:都有了?|都齐了?|都具备|都上了|都在用|都在上面|都在系统里|一应俱全)[”\"'）)]*$")
ALL_GONE_WRONG = re.compile(
    r"(?:问题|毛病|故障|隐患|不良|差错|事故)[^，,]{0,4}都有"
)  # "各种问题都有" is a pain
# "theirs": what the customer does ("客户抽检", "被要求全检"); the inspection named is the customer's, not a wish of
# the enterprise. It only hides the scenario words it spans, and gives the clause no role.
FRAMING = frozenset({"solved", "not_needed", "later", "background", "theirs"})
MASK_ONLY = frozenset({"theirs"})
NEGATIONS = frozenset({
    "no", "not", "never", "none", "nothing", "nobody", "without", "don't", "doesn't", "didn't", "isn't", "aren't",
    "wasn't", "weren't", "hasn't", "haven't", "won't", "don’t", "doesn’t", "isn’t", "不", "没", "未", "没有",
})  # fmt: skip


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
        cue_hits = lexicon.cues.find(piece)
        # The words of "no complaints", "our main customers" or "down the road" say how a clause counts, not what
        # it is about.
        framing = {at for hit in cue_hits if FRAMING & {code for code, _ in hit.targets} for at in _span(hit)}
        words = tuple(
            (code, hit.word, weight)
            for hit in lexicon.scenarios.find(piece)
            if framing.isdisjoint(_span(hit))
            for code, weight in hit.targets
            if code in position
        )
        strong, weak = np.zeros(len(codes)), np.zeros(len(codes))
        for code, _, weight in words:
            (strong if weight >= STRONG else weak)[position[code]] += weight
        signal = np.minimum(strong, MAX_STRONG) + np.minimum(weak, MAX_WEAK) + CLASSIFIER_WEIGHT * learnt[row]
        cues = _cues(cue_hits)
        if ALL_IN_PLACE.search(piece) and not ALL_GONE_WRONG.search(piece):
            cues |= {"solved"}
        clauses.append(Clause(text=piece, sentence=sentence, signal=signal, words=words, cues=cues))
    return clauses


def _cues(hits: Sequence[Hit]) -> frozenset[str]:
    """The cue codes of a clause. A bare negation next to what is in place says it is fine ("already runs in the
    cloud and was not affected", "ERP一直在用也没受影响"): it is no pain of its own there."""
    cues = {code for hit in hits for code, _ in hit.targets} - MASK_ONLY
    if "solved" in cues:
        pains = {hit.word.lower() for hit in hits if any(code == "pain" for code, _ in hit.targets)}
        if pains <= NEGATIONS:
            cues.discard("pain")
    return frozenset(cues)


def _span(hit: Hit) -> range:
    return range(hit.start, hit.start + len(hit.word))


def clause_roles(clauses: Sequence[Clause]) -> list[str]:
    """The role of each clause: need, later, solved, dropped or background."""
    roles = [_role(clause) for clause in clauses]
    # A report opens by presenting the company; its first sentence is background unless it states a pain or wish
    # (or is all there is).
    several = any(clause.sentence > 0 for clause in clauses)
    for index, clause in enumerate(clauses):
        if several and clause.sentence == 0 and roles[index] == "need" and not clause.cues & WISH:
            roles[index] = "background"
    for index, clause in enumerate(clauses):
        if roles[index] in {"later", "solved", "dropped"} and not clause.names_topic:
            if roles[index] == "later" and _opens_sentence(clauses, index):
                _defer_forward(clauses, roles, index)
            else:
                _spread_back(clauses, roles, index)
    _defer_context(clauses, roles)
    return roles


def _defer_context(clauses: Sequence[Clause], roles: list[str]) -> None:
    """A plain statement about what the same sentence puts off to later is context of that later wish ("那台旧服务器
    快十年了，放到明年再上云"): it is deferred with it. A stated pain or wish keeps its own role."""
    for index, clause in enumerate(clauses):
        if roles[index] != "need" or clause.cues or not clause.names_topic:
            continue
        named = {code for code, _, weight in clause.words if weight >= STRONG}
        deferred = [
            other
            for other, role in zip(clauses, roles, strict=True)
            if role == "later" and other.sentence == clause.sentence and other is not clause
        ]
        if any(named <= {code for code, _, weight in other.words if weight >= STRONG} for other in deferred):
            roles[index] = "later"


def _opens_sentence(clauses: Sequence[Clause], index: int) -> bool:
    """Whether the clause opens a sentence that goes on ("等预算宽裕些，想再加…", "Later on, we…")."""
    sentence = clauses[index].sentence
    opens = index == 0 or clauses[index - 1].sentence != sentence
    return opens and index + 1 < len(clauses) and clauses[index + 1].sentence == sentence


def _defer_forward(clauses: Sequence[Clause], roles: list[str], index: int) -> None:
    """A later-phase remark that opens a sentence and names no topic defers the clause it introduces, whatever that
    says ("等预算宽裕些，想再加一块看板"). What is in place is said after the fact, never before it."""
    nxt = index + 1
    # "Later, perhaps in two years: a metering system": a run of such remarks introduces the clause after the run.
    while nxt + 1 < len(clauses) and roles[nxt] == "later" and not clauses[nxt].names_topic:
        if clauses[nxt + 1].sentence != clauses[index].sentence:
            return
        nxt += 1
    if roles[nxt] in {"need", "background"}:
        roles[nxt] = "later"


def _spread_back(clauses: Sequence[Clause], roles: list[str], index: int) -> None:
    """Give the role of a remark that names no topic ("这个放到第二期", "no complaints there") to what it speaks of.

    That is the clause before it; for what is in place or not wanted, also the plain statements before that in the
    same sentence ("X runs orders, stock and accounts, no complaints"); a later phase reaches back one clause only
    ("以后" may only mean "after"). Across a sentence only a remark that names nothing at all reaches back, and
    never over a stated pain or wish.
    """
    role, back = roles[index], index - 1
    if back < 0:
        return
    # Across a sentence a stated pain or wish stands as said: "希望给冲床装上故障预警；其余的以后再说".
    if clauses[back].sentence != clauses[index].sentence and (
        clauses[index].words or clauses[back].cues & WISH
    ):
        return
    while roles[back] in {"need", "background", role}:
        roles[back] = role
        back -= 1
        if role == "later" or back < 0 or clauses[back].sentence != clauses[back + 1].sentence:
            return
        if clauses[back].cues and roles[back] != role:
            return


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
