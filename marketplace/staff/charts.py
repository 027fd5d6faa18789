"""The dashboard's charts: pygal drawn on the server, served as plain SVG with no script and no CDN.

pygal embeds a ``<script>`` holding its tooltip configuration even with ``js=[]``; it is removed from the tree, so
the SVG is static. Each chart is drawn from its table (see ``dashboard_tables``), never from its own query.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from marketplace.staff.dashboard_tables import Table

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#333333",
    foreground_strong="#212529",
    foreground_subtle="#adb5bd",
    colors=("#8a1c1c", "#d98c3f", "#3f7fbf", "#5a9e5a", "#7d5ba6"),
    font_family="'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=15,
    title_font_size=17,
)
# Only static drawing: no scripts, no external files, nothing fetched by the chart itself.
CONFIG = {
    "js": [],
    "style": STYLE,
    "width": 800,
    "height": 420,
    "legend_at_bottom": True,
    "truncate_label": -1,
    "truncate_legend": -1,
    "print_values": False,
    "show_y_guides": True,
    "explicit_size": True,  # width and height on the root, so <img> knows its natural size
}


def _bars(table: Table, series: dict[int, str], *, horizontal: bool = False, **extra: object) -> pygal.Graph:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(title=table.title, **(CONFIG | extra))
    labels = [str(row[0]) for row in table.rows]
    # Horizontal charts read top to bottom like the table.
    chart.x_labels = list(reversed(labels)) if horizontal else labels
    for index, name in series.items():
        values = table.column(index)
        chart.add(name, list(reversed(values)) if horizontal else values)
    return chart


def _shares(table: Table, name: str, **extra: object) -> pygal.Graph:
    # The last column is a share 0..1: drawn as a percentage, so lines of very different sizes compare.
    table = Table(table.name, table.title, table.columns, [[r[0], r[-1] * 100] for r in table.rows])
    return _bars(table, {1: name}, horizontal=True, range=(0, 100), show_legend=False, **extra)


def _targets(table: Table) -> pygal.Graph:
    return _shares(table, _("完成率"), height=560)


def _levels(table: Table) -> pygal.Graph:
    return _bars(table, {1: table.columns[1].header, 2: table.columns[2].header})


def _by_group(table: Table, *, horizontal: bool = False, **extra: object) -> pygal.Graph:
    # enterprises, on the cloud, accepted, level 2 or better after: the columns the targets are about.
    series = {i: table.columns[i].header for i in (1, 6, 7, 8)}
    return _bars(table, series, horizontal=horizontal, **extra)


def _money(table: Table) -> pygal.Graph:
    return _shares(table, _("占上限"), height=320)


CHARTS: dict[str, Callable[[Table], pygal.Graph]] = {
    "targets": _targets,
    "levels": _levels,
    "industry": _by_group,
    "county": lambda table: _by_group(table, horizontal=True, height=640),
    "batch": _by_group,
    "money": _money,
}


def render_svg(table: Table) -> bytes:
    """The chart of a table as a standalone SVG document (UTF-8, XML declaration, no script elements)."""
    root = CHARTS[table.name](table).render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    body = ElementTree.tostring(root, encoding="unicode")
    return ("<?xml version='1.0' encoding='utf-8'?>\n" + body).encode("utf-8")
