"""English inflections read back to the word the lexicon lists: "inspections" finds "inspection", "inspected" and
"inspecting" find "inspect", "modelled" finds "model", and British and American spellings meet.

Only the text is undone, never the lexicon: each word of a finding offers the forms it may be an inflection of
(plural, third person, past tense, -ing, a few irregular verbs), and a lexicon word matches if it is one of them.
So a lexicon word finds its own inflections and nothing more: "goods" never finds "good", nor "planning" "plan";
derivations stay apart ("operator" is not "operation"). Spellings are folded on both sides alike (-ise/-ize,
-our/-or, -tre/-ter, -ogue/-og, -mme/-m, -elled/-eled), so the folded form need not be a real word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")
# What may stand between the words of one phrase: "mis-sorted", "kWh/t", "R&D", "don't", "100% inspection".
JOINER = re.compile(r"[\s\-‐/&'’.%+]{0,3}")
APOSTROPHES = "'’"
VOWELS = frozenset("aeiouy")
MIN_STEM = 3  # "used" is not "us", "lines" not "lin"
_SPELLING = (
    (re.compile(r"(?<=[iy])z(?=e|ing|ation|er)"), "s"),  # organize -> organise, analyzer -> analyser
    (re.compile(r"(?<=[a-z]{2}[bglmnprv]|[a-z]{2}i)our(?=s|ed|ing|$)"), "or"),  # labour -> labor
    (re.compile(r"(?<=[a-z]{2}[bt])re(?=s|$)"), "er"),  # centre -> center, fibres -> fibers
    (re.compile(r"ogue(?=s|$)"), "og"),  # catalogue -> catalog
    (re.compile(r"amme(?=s|$)"), "am"),  # programme -> program
    (re.compile(r"(?<=[a-z]{3}e)ll(?=ing|ed|er)"), "l"),  # modelling -> modeling (never "selling")
)
# British word beginnings that no rule above folds.
_BRITISH = {"mould": "mold", "aluminium": "aluminum", "sulph": "sulf", "ageing": "aging", "judgement": "judgment",
            "licenc": "licens", "tyre": "tire", "grey": "gray"}  # fmt: skip
_BRITISH_START = re.compile("^(?:" + "|".join(_BRITISH) + ")")
# Irregular forms of verbs that findings use about machines, goods and money, and the base they come from.
IRREGULAR = {
    "began": "begin", "begun": "begin", "broke": "break", "broken": "break", "bought": "buy", "built": "build",
    "brought": "bring", "burnt": "burn", "caught": "catch", "dealt": "deal", "did": "do", "done": "do",
    "drew": "draw", "drawn": "draw", "fell": "fall", "fallen": "fall", "found": "find", "gave": "give",
    "given": "give", "gone": "go", "went": "go", "grew": "grow", "grown": "grow", "had": "have", "has": "have",
    "held": "hold", "kept": "keep", "knew": "know", "known": "know", "learnt": "learn", "lost": "lose",
    "made": "make", "meant": "mean", "met": "meet", "paid": "pay", "ran": "run", "said": "say", "sent": "send",
    "shown": "show", "sold": "sell", "sought": "seek", "spent": "spend", "stole": "steal", "stolen": "steal",
    "stuck": "stick", "taken": "take", "took": "take", "taught": "teach", "thought": "think", "told": "tell",
    "understood": "understand", "wore": "wear", "worn": "wear", "written": "write", "wrote": "write",
}  # fmt: skip


@dataclass(frozen=True)
class Token:
    """One Latin word or number of a text, where it stands and the forms it may be an inflection of."""

    start: int
    end: int
    forms: tuple[str, ...]  # the word itself first (spelling folded), then the bases it may come from


def filed(word: str) -> str:
    """How the lexicon files a word or phrase: an acronym ("ERP", "WIP", "IT") or its plural ("PCs") as written,
    anything else in lower case, so that no inflection of a plain word reaches an acronym ("wiped" is not WIP, and
    "pcs", pieces, is not PCs)."""
    return word if _acronym(word) or _plural_acronym(word) else word.lower()


def spelling(word: str) -> str:
    """One word as filed, British and American spellings folded together."""
    if _acronym(word) or _plural_acronym(word):
        return word
    lowered = _BRITISH_START.sub(lambda start: _BRITISH[start.group(0)], word.lower())
    for pattern, replacement in _SPELLING:
        lowered = pattern.sub(replacement, lowered)
    return lowered


@lru_cache(maxsize=65536)
def forms(word: str) -> tuple[str, ...]:
    """The word as the lexicon would list it, then every base it may be an inflection of, most likely first.

    An acronym written in lower case ("erp") still finds it, except one that is also a common English word: "it"
    never reads as IT, though "IT" in a shouted phrase may read as "it".
    """
    own = spelling(word)
    if _acronym(word):
        return (own, word.lower())
    if _plural_acronym(word):  # "PLCs", "PCs"
        return (own, word[:-1])
    found = [own]
    if word.lower() not in ENGLISH_STOP_WORDS:
        found.append(word.upper())
    if own in IRREGULAR:
        found.append(IRREGULAR[own])
    elif own.isalpha() and len(own) > MIN_STEM:
        found += _bases(own)
    return tuple(dict.fromkeys(found))


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isascii() and word.isupper()


def _plural_acronym(word: str) -> bool:
    return len(word) >= 3 and word[-1] == "s" and _acronym(word[:-1])


def _bases(word: str) -> list[str]:
    bases = []
    if word.endswith(("ies", "ied")):
        bases.append(word[:-3] + "y")  # batteries, supplied
    if word.endswith("ves"):
        bases += [word[:-3] + "f", word[:-3] + "fe"]  # shelves, knives
    if word.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        bases.append(word[:-2])  # batches, crashes, processes, boxes ("notes" is not "not")
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        bases.append(word[:-1])  # defects, cases, drawings
    for suffix in ("ed", "ing"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and not word.endswith("eed") and VOWELS & set(stem):
            bases += _verb_bases(stem)
    return [base for base in bases if len(base) >= MIN_STEM]


def _verb_bases(stem: str) -> list[str]:
    """The bases of a verb whose -ed or -ing was cut off: inspect(ed), make (making), plan (planned)."""
    if len(stem) > MIN_STEM and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        return [stem, stem[:-1]]  # planned, stopped, running; filled and pressed keep their double letter
    # A short word ending consonant-vowel-consonant doubles it before -ed (stop, stopped): "noted" and "making"
    # come from "note" and "make", never from "not" and "mak".
    short = len(re.findall(r"[aeiouy]+", stem)) == 1
    if short and len(stem) >= 3 and _cvc(stem):
        return [stem + "e"]
    return [stem, stem + "e"]


def _cvc(stem: str) -> bool:
    return stem[-3] not in VOWELS and stem[-2] in VOWELS and stem[-1] not in VOWELS | set("wx")


@lru_cache(maxsize=4096)  # each clause is read twice, for scenario words and for cue words
def tokens(text: str) -> tuple[Token, ...]:
    """The Latin words and numbers of a text with their forms; the "s" of an "'s" is dropped."""
    found = []
    for match in TOKEN.finditer(text):
        start, end = match.span()
        word = match.group(0)
        if word in {"s", "S"} and start and text[start - 1] in APOSTROPHES:
            continue
        found.append(Token(start=start, end=end, forms=forms(word)))
    return tuple(found)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The lexicon's key of a Latin phrase: each of its words as spelt (folded), read like a text's."""
    return tuple(token.forms[0] for token in tokens(phrase))


def joined(text: str, before: Token, after: Token) -> bool:
    """Whether two neighbouring tokens may belong to one phrase: only spaces or a joiner stand between them."""
    return JOINER.fullmatch(text, before.end, after.start) is not None
