"""The enterprise's own share of a price after the pilot's subsidy: price - min(rate * price, cap)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.money import own_share, own_shares, subsidy


@pytest.mark.parametrize(
    ("price", "rate", "cap", "expected_subsidy", "expected_share"),
    [
        (30.0, 0.5, 50.0, 15.0, 15.0),  # half the price, well under the cap
        (100.0, 0.5, 50.0, 50.0, 50.0),  # exactly at the cap
        (200.0, 0.5, 50.0, 50.0, 150.0),  # the cap bites
        (200.0, 0.5, 70.0, 70.0, 130.0),  # a level-4 enterprise's higher cap
        (0.5, 0.5, 50.0, 0.25, 0.25),
        (10.0, 0.0, 50.0, 0.0, 10.0),  # no subsidy
    ],
)
def test_subsidy_and_own_share(price, rate, cap, expected_subsidy, expected_share):
    assert subsidy(price, rate=rate, cap_wan=cap) == pytest.approx(expected_subsidy)
    assert own_share(price, rate=rate, cap_wan=cap) == pytest.approx(expected_share)


prices = st.floats(min_value=0, max_value=1000, allow_nan=False)
rates = st.floats(min_value=0, max_value=1, allow_nan=False)
caps = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(price=prices, rate=rates, cap=caps)
def test_the_subsidy_never_exceeds_the_rate_or_the_cap(price, rate, cap):
    aid = subsidy(price, rate=rate, cap_wan=cap)
    share = own_share(price, rate=rate, cap_wan=cap)

    assert 0 <= aid <= min(rate * price, cap) + 1e-9
    assert share == pytest.approx(price - aid, abs=1e-4)
    assert share >= price * (1 - rate) - 1e-4


@given(price=prices, rate=rates, cap=caps)
def test_the_array_form_agrees_with_the_single_price_form(price, rate, cap):
    shares = own_shares(np.array([price, price * 2]), rate=rate, cap_wan=cap)

    assert shares[0] == pytest.approx(own_share(price, rate=rate, cap_wan=cap), abs=1e-4)
    assert shares[1] == pytest.approx(own_share(price * 2, rate=rate, cap_wan=cap), abs=1e-4)
