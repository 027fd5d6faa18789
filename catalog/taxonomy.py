"""The pilot's shared vocabulary: industries, scenario groups, scenario tags and national scenes.

Loaded once from ``catalog/data/taxonomy.json`` (the same file format as the shared development data), so the
codes used in forms, imports, search documents and matching are one list everywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TAXONOMY_PATH = Path(__file__).with_name("data") / "taxonomy.json"

DEPLOYMENTS = ("saas", "on_premise", "hybrid")
DEPLOYMENT_LABELS = {
    "saas": ("SaaS 云服务", "SaaS"),
    "on_premise": ("本地部署", "On-premise"),
    "hybrid": ("混合部署", "Hybrid"),
}
SCALES = {"above": ("规上", "Above designated size"), "below": ("规下", "Below designated size")}
SRDI = {
    "none": ("无", "None"),
    "srdi": ("专精特新", "SRDI (specialised, refined, distinctive, innovative)"),
    "little_giant": ("专精特新“小巨人”", "SRDI little giant"),
}
# Smart sites the plan awards (智能车间 up to 10 万元, 智能工厂 up to 30 万元); at most one per enterprise here.
SMART_SITES = {"workshop": ("智能车间", "Smart workshop"), "factory": ("智能工厂", "Smart factory")}
# Counties and districts of Luoyang (洛阳市辖区及县、市).
COUNTIES = {
    "laocheng": ("老城区", "Laocheng"),
    "xigong": ("西工区", "Xigong"),
    "chanhe": ("瀍河回族区", "Chanhe"),
    "jianxi": ("涧西区", "Jianxi"),
    "luolong": ("洛龙区", "Luolong"),
    "yanshi": ("偃师区", "Yanshi"),
    "mengjin": ("孟津区", "Mengjin"),
    "xin_an": ("新安县", "Xin'an"),
    "luanchuan": ("栾川县", "Luanchuan"),
    "song": ("嵩县", "Song County"),
    "ruyang": ("汝阳县", "Ruyang"),
    "yiyang": ("宜阳县", "Yiyang"),
    "luoning": ("洛宁县", "Luoning"),
    "yichuan": ("伊川县", "Yichuan"),
    "high_tech": ("高新区", "High-tech Zone"),
}


@dataclass(frozen=True)
class Term:
    """One code of the vocabulary with its Chinese and English labels."""

    code: str
    zh: str
    en: str
    group: str | None = None
    national_scene: str | None = None
    mandatory: bool = False

    def label(self, locale: str = "zh") -> str:
        """The label in the given locale (Chinese unless the locale starts with 'en')."""
        return self.en if locale.startswith("en") else self.zh


@dataclass(frozen=True)
class Taxonomy:
    industries: dict[str, Term]
    groups: dict[str, Term]
    scenarios: dict[str, Term]
    national_scenes: dict[str, Term]

    def scenarios_in(self, group: str) -> list[Term]:
        """The scenario tags of one group, in taxonomy order."""
        return [term for term in self.scenarios.values() if term.group == group]

    def group_of(self, scenario: str) -> str:
        """The group code of a scenario code."""
        group = self.scenarios[scenario].group
        assert group is not None
        return group


def _terms(rows: list[dict], **extra_keys: str) -> dict[str, Term]:
    terms = {}
    for row in rows:
        fields = {name: row.get(key) for name, key in extra_keys.items()}
        terms[row["code"]] = Term(
            code=row["code"],
            zh=row["zh"],
            en=row.get("en", row["zh"]),
            **fields,  # type: ignore[arg-type]
        )
    return terms


@lru_cache(maxsize=1)
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """The taxonomy, parsed once per process."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    scenes = {
        row["code"]: Term(
            code=row["code"],
            zh=row["zh"],
            en=row.get("en", row["code"].replace("_", " ").capitalize()),
            group=row["group"],
            mandatory=bool(row.get("mandatory")),
        )
        for row in raw["national_scenes"]
    }
    return Taxonomy(
        industries=_terms(raw["industries"]),
        groups=_terms(raw["scenario_groups"]),
        scenarios=_terms(raw["scenarios"], group="group", national_scene="national_scene"),
        national_scenes=scenes,
    )
