"""Reading the needs of a diagnosis the way a consultant does: the clauses' signals weighed by their roles.

Background facts count little, pains and wishes fully, "first"/"urgent" more, a later phase only as a
nice-to-have, and what is already in place is marked solved so that it is never recommended again.
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
    now, later = np.zeros(len(codes)), np.zeros(len(codes))
    in_place: set[str] = set()
    worded: set[str] = set()
    for clause, role in zip(clauses, roles, strict=True):
        if role == "solved":
            in_place.update(code for code, _, weight in clause.words if weight >= STRONG)
        elif role != "dropped":
            worded.update(code for code, _, _ in clause.words)
        (later if role == "later" else now)[:] += clause_weight(clause, role) * clause.signal
    # A tick on the form outweighs what the text seems to say is in place; an explicit "solved" outweighs both.
    in_place = (in_place - set(target_scenarios)) | set(solved)
    scores = now + later
    lift = FORM_WEIGHT * max(float(scores.max(initial=0.0)), 1.0)
    for code in target_scenarios:
        if code in codes:
            scores[codes.index(code)] += lift
    top = float(scores.max(initial=0.0))
    needs = tuple(
        Need(
            scenario=codes[index],
            weight=round(float(scores[index]) / top, 6),
            evidence=_evidence(index, codes[index], clauses, roles),
            later=bool(now[index] < later[index]) and codes[index] not in target_scenarios,
            ticked=codes[index] in target_scenarios,
        )
        for index in np.argsort(-scores, kind="stable")
        if codes[index] not in in_place
        and scores[index] >= max(MIN_NEED * top, MIN_SCORE if codes[index] in worded else MIN_UNWORDED)
    )
    focus = " ".join(
        clause.text for clause, role in zip(clauses, roles, strict=True) if role in {"need", "later"}
    )
    return Reading(needs=needs, solved=frozenset(in_place), focus=focus)


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
