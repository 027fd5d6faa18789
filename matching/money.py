"""The pilot's money rule: the subsidy covers a share of the price up to a cap; the enterprise pays the rest."""

from __future__ import annotations

import numpy as np


def subsidy(price_wan: float, *, rate: float, cap_wan: float) -> float:
    """The subsidy on a price: min(rate * price, cap), never negative."""
    return max(0.0, min(rate * price_wan, cap_wan))


def own_share(price_wan: float, *, rate: float, cap_wan: float) -> float:
    """What the enterprise pays itself: price - min(rate * price, cap)."""
    return round(price_wan - subsidy(price_wan, rate=rate, cap_wan=cap_wan), 4)


def own_shares(prices_wan: np.ndarray, *, rate: float, cap_wan: float) -> np.ndarray:
    """own_share for a whole array of prices at once."""
    return prices_wan - np.clip(rate * prices_wan, 0.0, max(cap_wan, 0.0))
