import pytest

from catalog import uscc


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", " 91350100m000100y43 "])
def test_real_codes_are_accepted(code):
    assert uscc.is_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100YI3",  # I is not in the alphabet
        "",
        "9" * 18,
    ],
)
def test_malformed_codes_are_refused(code):
    assert not uscc.is_valid(code)


def test_generated_codes_carry_a_correct_check_character():
    codes = {uscc.make_code(serial) for serial in range(1, 500)}
    assert len(codes) == 499
    assert all(uscc.is_valid(code) for code in codes)
