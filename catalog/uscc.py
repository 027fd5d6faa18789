"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): 18 characters, the last one a check character."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper-case, without surrounding or inner spaces (as people paste it)."""
    return "".join(code.split()).upper()


def is_valid(code: str) -> bool:
    """True when the code has 18 characters of the alphabet and a correct check character."""
    code = normalise(code)
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    return check_character(code[:17]) == code[17]


def make_code(serial: int, *, region: str = "410300") -> str:
    """A well-formed code for demo and test organisations (region 410300 = 洛阳市)."""
    body = "91" + region + "MA" + f"{serial:07d}"
    return body + check_character(body)
