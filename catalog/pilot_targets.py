"""The pilot's targets as configuration: the plan's numbers, read from ``catalog/data/pilot_targets.json``.

Kept in a data file (not in code) so a revised plan changes one number in one place; the dashboard, the bureau's
summary and their tests all read it from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

TARGETS_PATH = Path(__file__).with_name("data") / "pilot_targets.json"


@dataclass(frozen=True)
class PilotTargets:
    """The plan's numbers: enterprises by kind, levels, supply side, smart sites, and the award caps (万元)."""

    enterprises: int  # 拟改造企业
    above_size: int  # 规上
    below_size: int  # 规下
    little_giants: int  # 专精特新“小巨人”
    srdi: int  # 专精特新中小企业 (the title below little giant; the data keeps one title per enterprise)
    on_cloud: int  # 上云用云
    min_level_after: int  # every pilot enterprise reaches at least this level after transformation
    level4: int  # at least this many reach level 4
    providers: int  # 数字化服务商
    products: int  # “小快轻准”产品和解决方案
    smart_sites: int  # 数字化车间、智能工厂
    award_providers: int  # 优质服务商 to reward
    award_products: int  # 高水平“小快轻准”产品 to reward
    award_provider_cap_wan: Decimal  # per provider
    award_product_cap_wan: Decimal  # per product

    @property
    def award_provider_total_wan(self) -> Decimal:
        """The most the plan spends on provider awards (8 x 10 万元)."""
        return self.award_providers * self.award_provider_cap_wan

    @property
    def award_product_total_wan(self) -> Decimal:
        """The most the plan spends on product awards (10 x 10 万元)."""
        return self.award_products * self.award_product_cap_wan


@lru_cache(maxsize=4)
def load_targets(path: Path = TARGETS_PATH) -> PilotTargets:
    """The targets from the data file; a missing, negative or non-numeric value is a configuration error."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    values: dict[str, int | Decimal] = {}
    for spec in fields(PilotTargets):
        value = raw.get(spec.name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"{path.name}: {spec.name} must be a number >= 0, got {value!r}")
        values[spec.name] = Decimal(str(value)) if spec.name.endswith("_wan") else int(value)
    return PilotTargets(**values)  # type: ignore[arg-type]
