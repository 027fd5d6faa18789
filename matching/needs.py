"""Reading the needs of a diagnosis the way a consultant does: the clauses' signals weighed by their roles.

Background facts count little, pains and wishes fully, "first"/"urgent" more, a later phase only as a
nice-to-have (below the main need, even when ticked on the form), and what is already in place is marked solved so
that it is never recommended again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.classifier import ScenarioClassifier
from matching.clauses import Clause, clause_roles, scan_clauses
from matching.lexicon import STRONG, Lexicon
from matching.types import Need

LATER_WEIGHT = 0.35  # a later-phase need is a nice-to-have: it may fill the list, never lead it
MIN_NEED = 0.15  # needs weaker than this share of the strongest one are noise
MIN_SCORE = 0.2  # nor is anything below this at all (one plain mention of a clear word scores 0.6)
MIN_UNWORDED = 0.4  # a need no lexicon word supports rests on the classifier alone: it must be clearer
LATER_LEAD = 0.5  # a later wish never scores above this share of the strongest present need
MAIN_TOPIC = 0.5  # a clause is mainly about its strongest scenario when that signal is this clear
FORM_WEIGHT = 0.8  # a scenario ticked on the form, relative to the strongest need read from the text
# A plain statement of how things are counts less than a stated pain or wish; "first"/"urgent" counts most.
ROLE_WEIGHTS = {"background": 0.25, "need": 0.6, "later": LATER_WEIGHT}
CUE_WEIGHTS = {"priority": 1.4, "want": 1.0, "pain": 1.0}


@dataclass(frozen=True)
class Reading:
    """The needs read from one report (strongest first), what is in place, and the text that states needs."""

    needs: tuple[Need, ...]
    solved: frozenset[str]
    focus: str  # the clauses that state needs, for word overlap with listings


def clause_weight(clause: Clause, role: str) -> float:
    """How much one clause says about what the enterprise needs."""
    if role != "need":
        return ROLE_WEIGHTS.get(role, 0.0)
    return max([ROLE_WEIGHTS["need"], *(CUE_WEIGHTS[cue] for cue in clause.cues & CUE_WEIGHTS.keys())])


@dataclass(frozen=True)
class _Tally:
    """What the clauses say per scenario code, by role."""

    now: np.ndarray  # signal of the clauses stating a present need (or background)
    later: np.ndarray  # signal of the clauses putting a need off to a later phase
    deferred: np.ndarray  # bool: what the text puts off to a later phase
    # bool: what only a later clause asks for (present clauses may name it, but as a figure, with no pain or wish):
    # a tick on the form for it is the later wish ticked, not a present need
    wished_later: np.ndarray
    in_place: frozenset[str]  # named in clear words where the text says it is in place
    worded: frozenset[str]  # named by any lexicon word outside what is in place or turned down
    named_later: frozenset[str]  # named in clear words in a later-phase clause


def read_needs(
    text: str,
    *,
    lexicon: Lexicon,
    classifier: ScenarioClassifier,
    target_scenarios: Sequence[str] = (),
    solved: Sequence[str] = (),
) -> Reading:
    """The needs of one report, strongest first, each with the words of the findings that triggered it."""
    codes = classifier.codes
    clauses = scan_clauses(text, lexicon=lexicon, classifier=classifier)
    roles = clause_roles(clauses)
    tally = _tally(clauses, roles, len(codes))
    # A tick on the form outweighs what the text seems to say is in place; an explicit "solved" outweighs both.
    in_place = (tally.in_place - set(target_scenarios)) | set(solved)
    said = float((tally.now + tally.later).max(initial=0.0))  # the strongest need of the text alone
    scores = _below_present(_with_ticks(tally, codes, target_scenarios), tally, codes)
    top = float(scores.max(initial=0.0))
    needs = tuple(
        Need(
            scenario=codes[index],
            weight=round(float(scores[index]) / top, 6),
            evidence=_evidence(index, codes[index], clauses, roles),
            later=bool(tally.deferred[index]),
            ticked=codes[index] in target_scenarios,
        )
        for index in np.argsort(-scores, kind="stable")
        if codes[index] not in in_place and scores[index] >= _floor(codes[index], top, said, tally)
    )
    focus = " ".join(
        clause.text for clause, role in zip(clauses, roles, strict=True) if role in {"need", "later"}
    )
    return Reading(needs=needs, solved=frozenset(in_place), focus=focus)


def _tally(clauses: Sequence[Clause], roles: Sequence[str], size: int) -> _Tally:
    """The clauses' signals summed by role, and the scenarios their clear words place."""
    now, later = np.zeros(size), np.zeros(size)
    in_place: set[str] = set()
    worded: set[str] = set()
    named_later: set[str] = set()
    led = {role: np.zeros(size, dtype=bool) for role in ("need", "later")}  # what some clause is mainly about
    stated = np.zeros(size, dtype=bool)  # what some clause stating a pain or a wish is mainly about
    for clause, role in zip(clauses, roles, strict=True):
        clear = {code for code, _, weight in clause.words if weight >= STRONG}
        if role == "solved":
            in_place |= clear
        elif role != "dropped":
            worded.update(code for code, _, _ in clause.words)
        if role == "later":
            named_later |= clear
        if role in led and clause.signal.max(initial=0.0) >= MAIN_TOPIC:
            led[role][int(np.argmax(clause.signal))] = True
            if role == "need" and clause.cues & CUE_WEIGHTS.keys():
                stated[int(np.argmax(clause.signal))] = True
        (later if role == "later" else now)[:] += clause_weight(clause, role) * clause.signal
    # Put off: said more as later than as now, or only a later clause is mainly about it (the rest are words in
    # passing: "温度" in a clause about vibration).
    deferred = (now < later) | (led["later"] & ~led["need"])
    wished_later = deferred | (led["later"] & ~stated)
    return _Tally(
        now, later, deferred, wished_later, frozenset(in_place), frozenset(worded), frozenset(named_later)
    )


def _with_ticks(tally: _Tally, codes: Sequence[str], ticked: Sequence[str]) -> np.ndarray:
    """The scores with the scenarios ticked on the form lifted: a tick says the enterprise wants it, but where the
    text puts it off to a later phase it stays a later wish."""
    scores = tally.now + tally.later
    lift = FORM_WEIGHT * max(float(scores.max(initial=0.0)), 1.0)
    for code in ticked:
        if code in codes:
            index = list(codes).index(code)
            scores[index] += lift * (LATER_WEIGHT if tally.wished_later[index] else 1.0)
    return scores


def _below_present(scores: np.ndarray, tally: _Tally, codes: Sequence[str]) -> np.ndarray:
    """The scores with every later wish kept below the strongest present need the words of the text support: a
    nice-to-have may fill the list, never lead it, however much the text says about it."""
    worded = np.array([code in tally.worded for code in codes], dtype=bool)
    present = scores[~tally.deferred & worded]
    strongest = float(present.max(initial=0.0))
    if LATER_LEAD * strongest < MIN_SCORE:  # too weak to lead: capping would drop the later wish as noise
        return scores
    return np.where(tally.deferred, np.minimum(scores, LATER_LEAD * strongest), scores)


def _floor(code: str, top: float, said: float, tally: _Tally) -> float:
    """The least score that makes a need. A later wish named in clear words is weighed as a later wish against what
    the text says, however much a tick lifts the main need: it is a nice-to-have, not noise."""
    relative = MIN_NEED * LATER_WEIGHT * said if code in tally.named_later else MIN_NEED * top
    return max(relative, MIN_SCORE if code in tally.worded else MIN_UNWORDED)


def _evidence(index: int, code: str, clauses: Sequence[Clause], roles: Sequence[str]) -> tuple[str, ...]:
    """The lexicon words that pointed to the scenario (clear ones first), else the clause it was read from."""
    counted = [
        clause for clause, role in zip(clauses, roles, strict=True) if role not in {"solved", "dropped"}
    ]
    found = [
        (-weight, word) for clause in counted for scenario, word, weight in clause.words if scenario == code
    ]
    words = tuple(dict.fromkeys(word for _, word in sorted(found, key=lambda item: item[0])))[:4]
    if words or not counted:
        return words
    best = max(counted, key=lambda clause: clause.signal[index])
    return (best.text,) if best.signal[index] > 0.1 else ()
