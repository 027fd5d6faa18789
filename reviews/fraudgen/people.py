"""Pilot enterprises for the generator: the plan's mix of sizes and SRDI titles, names, counties, IPs, accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TypeVar

from catalog.taxonomy import COUNTIES

T = TypeVar("T")

TZ = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Batch:
    """One batch of pilot enterprises: how many, when they register, when their projects are accepted."""

    size: int
    registered: tuple[date, date]
    accepted: tuple[date, date]


# Acceptance windows follow the plan's timeline; the 3rd batch runs past the data end, so some stay active.
BATCHES = {
    1: Batch(150, (date(2025, 11, 1), date(2026, 1, 31)), (date(2026, 5, 1), date(2026, 10, 31))),
    2: Batch(170, (date(2026, 3, 1), date(2026, 6, 30)), (date(2026, 11, 1), date(2027, 3, 31))),
    3: Batch(140, (date(2026, 9, 1), date(2026, 12, 31)), (date(2027, 4, 1), date(2027, 9, 30))),
}
ABOVE_SIZE, LITTLE_GIANTS, SRDI_FIRMS = 445, 42, 184  # of 460, per the plan
INDUSTRY_WEIGHTS = {"bearings": 0.32, "nonferrous": 0.24, "electrical": 0.26, "chemicals": 0.18}
COUNTY_WEIGHTS = {
    "jianxi": 6,
    "luolong": 5,
    "high_tech": 5,
    "yanshi": 4,
    "xigong": 3,
    "mengjin": 3,
    "yichuan": 3,
}
LEVEL_WEIGHTS = {1: 0.62, 2: 0.33, 3: 0.05}
NAME_HEADS = tuple("恒瑞鼎华宏泰洛河伊嵩龙润兴安通盛金正德信达远中天新凯豫隆昌") + ("牡丹",)
NAME_TAILS = tuple("丰源达力诚基工盛合宇拓城科邦锐成峰晟航轩")
INDUSTRY_NAMES = {
    "bearings": ["轴承", "精密轴承", "传动部件", "机械零部件", "滚动体"],
    "nonferrous": ["铜业", "铝业", "新材料", "合金", "钼业"],
    "electrical": ["电气", "光电", "电力设备", "电子", "电缆"],
    "chemicals": ["化工", "新材料科技", "精细化工", "涂料", "化学"],
}
IP_PREFIXES = (
    "171.8",
    "171.11",
    "123.52",
    "1.192",
    "1.193",
    "42.231",
    "115.60",
    "222.88",
    "61.163",
    "39.162",
)


@dataclass
class Enterprise:
    """One generated pilot enterprise plus what only the generator knows (leniency, home IP, accounts)."""

    row: dict
    leniency: float
    ip: str
    account_created: datetime

    @property
    def id(self) -> str:
        """The enterprise's external id."""
        return str(self.row["id"])


class IpPool:
    """Unique public IPv4 addresses, so coincidences happen only where the generator puts them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def fresh(self) -> str:
        """An address not handed out before."""
        while True:
            ip = f"{self.rng.choice(IP_PREFIXES)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
            if ip not in self.used:
                self.used.add(ip)
                return ip


def moment(rng: random.Random, day: date) -> datetime:
    """A time during one day, mostly office hours (some evenings), in Beijing time."""
    hour = rng.choice((8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16, 17, 19, 20, 21, 22))
    return datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=TZ)


def stamp(when: datetime) -> str:
    """ISO 8601 to the second, as the import format writes times."""
    return when.replace(microsecond=0).isoformat()


def day_between(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random day in [start, end]."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def make_enterprises(rng: random.Random, ips: IpPool, *, park_pairs: int = 10) -> list[Enterprise]:
    """The 460 pilot enterprises in batch order, some pairs sharing an office-park IP."""
    total = sum(batch.size for batch in BATCHES.values())
    titles = ["little_giant"] * LITTLE_GIANTS + ["srdi"] * SRDI_FIRMS
    srdi = _shuffled(rng, titles + ["none"] * (total - len(titles)))
    # SRDI titles require designated size, so the plan's 15 small firms are drawn from the untitled ones.
    untitled = [index for index, title in enumerate(srdi) if title == "none"]
    below = set(rng.sample(untitled, total - ABOVE_SIZE))
    names: set[str] = set()
    enterprises = []
    batches = [number for number, batch in BATCHES.items() for _ in range(batch.size)]
    for index, batch in enumerate(batches):
        scale = "below" if index in below else "above"
        enterprises.append(_enterprise(rng, ips, names, index + 1, batch, scale, srdi[index]))
    _share_park_ips(rng, enterprises, park_pairs)
    return enterprises


def _enterprise(
    rng: random.Random, ips: IpPool, names: set[str], number: int, batch: int, scale: str, srdi: str
) -> Enterprise:
    industry = _weighted(rng, INDUSTRY_WEIGHTS)
    county = _weighted(rng, {code: COUNTY_WEIGHTS.get(code, 1) for code in COUNTIES})
    employees = int(rng.lognormvariate(5.2, 0.7)) + 50 if scale == "above" else rng.randint(8, 60)
    registered = day_between(rng, *BATCHES[batch].registered)
    created = moment(rng, registered)
    row = {
        "id": f"E{number:04d}",
        "name": _unique_name(rng, names, industry),
        "industry": industry,
        "scale": scale,
        "srdi": srdi,
        "county": county,
        "employees": min(employees, 3000),
        "digital_level": _weighted(rng, LEVEL_WEIGHTS),
        "batch": batch,
        "created_at": stamp(created),
    }
    account = created + timedelta(seconds=rng.randint(0, 10 * 86400))
    return Enterprise(row=row, leniency=rng.gauss(0, 0.35), ip=ips.fresh(), account_created=account)


def _unique_name(rng: random.Random, names: set[str], industry: str) -> str:
    while True:
        name = f"洛阳{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}{rng.choice(INDUSTRY_NAMES[industry])}有限公司"
        if name not in names:
            names.add(name)
            return name


def _share_park_ips(rng: random.Random, enterprises: list[Enterprise], pairs: int) -> None:
    # Two firms in one industrial park behind one NAT address: an honest coincidence the IP rule must tolerate.
    chosen = rng.sample(enterprises, 2 * pairs)
    for first, second in zip(chosen[::2], chosen[1::2], strict=True):
        second.ip = first.ip
        second.row["county"] = first.row["county"]


def _weighted(rng: random.Random, weights: dict[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _shuffled(rng: random.Random, items: list[str]) -> list[str]:
    rng.shuffle(items)
    return items
