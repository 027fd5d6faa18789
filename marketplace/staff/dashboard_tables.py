"""The dashboard's tables, in the visitor's language: one source for the HTML tables, the charts and the XLSX.

Each chart is drawn from its table and the workbook holds the same tables, so the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from catalog.pilot_progress import LEVELS, Counts, PilotProgress
from catalog.taxonomy import COUNTIES, load_taxonomy
from marketplace.exports import Sheet
from marketplace.templating import term_label

XLSX_FORMATS = {"int": "0", "wan": "#,##0.00", "share": "0.0%", "text": None}


@dataclass(frozen=True)
class Column:
    """A column header and how its values read: text, int, wan (万元, 2 decimals) or share (0..1, as %)."""

    header: str
    kind: str = "int"


@dataclass(frozen=True)
class Table:
    """One table of the dashboard; ``name`` is its chart's and its sheet's key."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    def sheet(self) -> Sheet:
        """The table as a worksheet (money as numbers, shares as percentages)."""
        rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in self.rows]
        return Sheet(
            self.title, [c.header for c in self.columns], rows, [XLSX_FORMATS[c.kind] for c in self.columns]
        )

    def column(self, index: int) -> list[float]:
        """One numeric column, for a chart series."""
        return [float(row[index]) for row in self.rows]


def cell(value: Any, kind: str) -> str:
    """A value as the HTML table shows it."""
    if kind == "wan":
        return f"{Decimal(value):,.2f}"
    if kind == "share":
        return f"{float(value) * 100:.1f}%"
    return str(value)


def goal_labels() -> dict[str, str]:
    """The label of each target, in the plan's words."""
    return {
        "enterprises": _("改造企业"),
        "above_size": _("规上工业企业"),
        "below_size": _("规下工业企业"),
        "little_giants": _("专精特新“小巨人”企业"),
        "srdi": _("专精特新中小企业"),
        "on_cloud": _("上云用云企业"),
        "level2_after": _("改造后达到二级及以上"),
        "level4_after": _("改造后达到四级"),
        "providers": _("数字化服务商（已入库）"),
        "products": _("“小快轻准”产品（已上架）"),
        "smart_sites": _("智能车间、智能工厂"),
        "award_providers": _("入围优质服务商"),
        "award_products": _("入围“小快轻准”产品"),
    }


def level_labels() -> dict[int | None, str]:
    """Labels of the digital levels; None is "not assessed yet"."""
    return {
        None: _("未评估"),
        0: _("未达一级"),
        1: _("一级"),
        2: _("二级"),
        3: _("三级"),
        4: _("四级"),
    }


def _targets(progress: PilotProgress) -> Table:
    labels = goal_labels()
    columns = [Column(_("指标"), "text"), Column(_("目标")), Column(_("实际")), Column(_("完成率"), "share")]
    rows = [[labels[g.key], g.target, g.actual, g.share] for g in progress.goals()]
    return Table("targets", _("目标完成情况"), columns, rows)


def _levels(progress: PilotProgress) -> Table:
    columns = [Column(_("数字化水平"), "text"), Column(_("改造前")), Column(_("改造后"))]
    labels = level_labels()
    rows = [[labels[lv], progress.levels_before[lv], progress.levels_after[lv]] for lv in LEVELS]
    return Table("levels", _("数字化水平分布（改造前后）"), columns, rows)


BREAKDOWN_FIELDS = (
    "enterprises",
    "above_size",
    "below_size",
    "little_giants",
    "srdi",
    "on_cloud",
    "accepted",
    "level2_after",
    "level4_after",
    "workshops",
    "factories",
    "subsidy_wan",
)


def _breakdown_columns(first: str) -> list[Column]:
    headers = [
        _("企业数"),
        _("规上"),
        _("规下"),
        _("小巨人"),
        _("专精特新"),
        _("已上云"),
        _("已验收"),
        _("改造后二级及以上"),
        _("改造后四级"),
        _("智能车间"),
        _("智能工厂"),
    ]
    return [Column(first, "text"), *(Column(h) for h in headers), Column(_("已承诺补助（万元）"), "wan")]


def _breakdown(
    progress: PilotProgress, dimension: str, known: Iterable[Any], label: Callable[[Any], str]
) -> list:
    # Every known code gets a row (zeros included); codes outside the vocabulary follow, empty ones last.
    found: dict[Any, Counts] = {b.code: b.counts for b in progress.breakdowns[dimension]}
    order = list(known) + sorted((c for c in found if c not in known and c is not None), key=str)
    if None in found:
        order.append(None)
    rows = []
    for code in order:
        counts = found.get(code, Counts())
        name = label(code) if code is not None else _("未填写")
        rows.append([name, *(getattr(counts, f) for f in BREAKDOWN_FIELDS)])
    return rows


def _batch_label(code: Any) -> str:
    return {1: _("第一批"), 2: _("第二批"), 3: _("第三批")}.get(code, str(code))


def _breakdowns(progress: PilotProgress) -> list[Table]:
    industries = list(load_taxonomy().industries)
    return [
        Table(
            "industry",
            _("分行业"),
            _breakdown_columns(_("行业")),
            _breakdown(progress, "industry", industries, lambda c: term_label("industry", c)),
        ),
        Table(
            "county",
            _("分县区"),
            _breakdown_columns(_("县区")),
            _breakdown(progress, "county", list(COUNTIES), lambda c: term_label("county", c)),
        ),
        Table(
            "batch",
            _("分批次"),
            _breakdown_columns(_("批次")),
            _breakdown(progress, "batch", [1, 2, 3], _batch_label),
        ),
    ]


def _money(progress: PilotProgress) -> Table:
    totals, awards, t = progress.totals, progress.awards, progress.targets
    columns = [
        Column(_("资金"), "text"),
        Column(_("已承诺（万元）"), "wan"),
        Column(_("上限（万元）"), "wan"),
    ]
    columns.append(Column(_("占上限"), "share"))
    lines = [
        (_("改造补助：已验收企业，按改造后等级封顶"), totals.subsidy_wan, totals.subsidy_cap_wan),
        (_("改造补助：方案目标测算总上限"), totals.subsidy_wan, progress.subsidy_ceiling_wan),
        (_("优质服务商奖励"), awards.provider_wan, t.award_provider_total_wan),
        (_("“小快轻准”产品奖励"), awards.product_wan, t.award_product_total_wan),
    ]
    rows = [[name, used, cap, float(used / cap) if cap else 0.0] for name, used, cap in lines]
    return Table("money", _("补助与奖励资金"), columns, rows)


def dashboard_tables(progress: PilotProgress) -> list[Table]:
    """Every table of the dashboard, in page order."""
    return [_targets(progress), _levels(progress), *_breakdowns(progress), _money(progress)]
