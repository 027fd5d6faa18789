"""The national yardstick as configuration: scored items, level thresholds and the path planner's assumptions.

Read from ``catalog/data/assessment.json`` (thresholds come from secondary sources, so they are data, not code);
which scenes exist and which are mandatory comes from the shared taxonomy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from catalog.taxonomy import TAXONOMY_PATH, load_taxonomy

ASSESSMENT_PATH = Path(__file__).with_name("data") / "assessment.json"


@dataclass(frozen=True)
class ScoreItem:
    """One scored item of the 100-point part, with its maximum."""

    code: str
    dimension: str
    zh: str
    en: str
    max_points: float


@dataclass(frozen=True)
class LevelThreshold:
    """What one level needs: a score, and enough scenes (and mandatory scenes) at ``scene_level`` or above."""

    level: int
    min_score: float
    scene_level: int
    min_scenes: int
    min_mandatory: int


@dataclass(frozen=True)
class LevelRules:
    """The level rule: thresholds in ascending level, the known scenes and the mandatory ones."""

    thresholds: tuple[LevelThreshold, ...]
    scenes: tuple[str, ...]
    mandatory: frozenset[str]
    max_scene_level: int = 4

    def threshold(self, level: int) -> LevelThreshold:
        """The threshold of one level; KeyError for a level the rules do not define."""
        for threshold in self.thresholds:
            if threshold.level == level:
                return threshold
        raise KeyError(level)

    @property
    def top_level(self) -> int:
        """The highest level the rules define."""
        return self.thresholds[-1].level


@dataclass(frozen=True)
class PathConfig:
    """Assumptions of the path planner: how far a product lifts a scene, what it adds to the score."""

    lift_by: int | None
    points_by_group: Mapping[str, float]
    points_by_foundation_item: Mapping[str, float]
    keep_per_scene: int


@lru_cache(maxsize=4)
def load_raw(path: Path = ASSESSMENT_PATH) -> Mapping[str, Any]:
    """The configuration file, parsed once per process."""
    return MappingProxyType(json.loads(path.read_text(encoding="utf-8")))


def score_items(raw: Mapping[str, Any] | None = None) -> tuple[ScoreItem, ...]:
    """The scored items in form order."""
    rows = (raw or load_raw())["score_items"]
    return tuple(
        ScoreItem(
            code=r["code"], dimension=r["dimension"], zh=r["zh"], en=r["en"], max_points=float(r["max"])
        )
        for r in rows
    )


def level_rules(raw: Mapping[str, Any] | None = None) -> LevelRules:
    """The level rule from configuration plus the taxonomy's scenes and mandatory flags."""
    config = raw or load_raw()
    scenes = load_taxonomy().national_scenes
    thresholds = tuple(
        sorted(
            (
                LevelThreshold(
                    level=int(r["level"]),
                    min_score=float(r["min_score"]),
                    scene_level=int(r["scene_level"]),
                    min_scenes=int(r["min_scenes"]),
                    min_mandatory=int(r["min_mandatory"]),
                )
                for r in config["level_rules"]
            ),
            key=lambda t: t.level,
        )
    )
    # Levels are reached in order (level N needs levels 1..N-1), so they must be numbered 1..top without gaps.
    if [t.level for t in thresholds] != list(range(1, len(thresholds) + 1)):
        raise ValueError("level_rules must define levels 1..N without gaps")
    return LevelRules(
        thresholds=thresholds,
        scenes=tuple(scenes),
        mandatory=frozenset(code for code, term in scenes.items() if term.mandatory),
        max_scene_level=int(config.get("max_scene_level", 4)),
    )


def path_config(raw: Mapping[str, Any] | None = None) -> PathConfig:
    """The path planner's assumptions."""
    section = (raw or load_raw())["path"]
    lift_by = section.get("lift_by")
    return PathConfig(
        lift_by=None if lift_by is None else int(lift_by),
        points_by_group=MappingProxyType({k: float(v) for k, v in section["points_by_group"].items()}),
        points_by_foundation_item=MappingProxyType(
            {k: float(v) for k, v in section["points_by_foundation_item"].items()}
        ),
        keep_per_scene=int(section.get("keep_per_scene", 5)),
    )


@lru_cache(maxsize=1)
def foundation_items_of_scenarios() -> Mapping[str, str]:
    """Scenario tag -> the 数字化基础 item it improves (infrastructure tags only)."""
    # Term does not carry foundation_item, so it is read from the taxonomy file itself.
    raw = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    return MappingProxyType(
        {row["code"]: row["foundation_item"] for row in raw["scenarios"] if row.get("foundation_item")}
    )


SCORE_ITEMS = score_items()
DEFAULT_LEVEL_RULES = level_rules()
DEFAULT_PATH_CONFIG = path_config()
