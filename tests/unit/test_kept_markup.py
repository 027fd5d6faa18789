"""Markup kept between visitors gets each visitor's own values put in, and only where its stand-ins were."""

from __future__ import annotations

from markupsafe import Markup

from marketplace.kept_markup import StandIns


def test_each_stand_in_gets_its_own_value_escaped():
    stand_ins = StandIns("csrf", "name")
    markers = stand_ins.markers
    kept = stand_ins.keep(
        f'<input value="{markers["csrf"]}"><b>{markers["name"]}</b><i>{markers["csrf"]}</i>'
    )
    filled = kept.fill({"csrf": "t0k3n", "name": 'A&B <科技> "有限"'})
    assert filled == '<input value="t0k3n"><b>A&amp;B &lt;科技&gt; &#34;有限&#34;</b><i>t0k3n</i>'


def test_markup_values_are_put_in_as_they_are():
    stand_ins = StandIns("field")
    kept = stand_ins.keep(f"<form>{stand_ins.markers['field']}</form>")
    assert kept.fill({"field": Markup('<input name="t">')}) == '<form><input name="t"></form>'


def test_a_value_that_spells_a_stand_in_is_not_filled_in_again():
    stand_ins = StandIns("path", "org")
    markers = stand_ins.markers
    kept = stand_ins.keep(f"{markers['path']}|{markers['org']}")
    assert kept.fill({"path": str(markers["org"]), "org": "x"}) == f"{markers['org']}|x"


def test_a_name_that_begins_another_is_told_apart():
    stand_ins = StandIns("csrf", "csrf_field")
    markers = stand_ins.markers
    kept = stand_ins.keep(f"{markers['csrf_field']} {markers['csrf']}")
    assert kept.fill({"csrf": "a", "csrf_field": "b"}) == "b a"


def test_braces_and_percent_signs_come_out_as_they_are():
    stand_ins = StandIns("name")
    kept = stand_ins.keep(f"<p data-x='{{}}'>{stand_ins.markers['name']} %s {{0}}</p>")
    assert kept.fill({"name": "{name} {0} %(x)s"}) == "<p data-x='{}'>{name} {0} %(x)s %s {0}</p>"


def test_already_escaped_values_are_put_in_unchanged():
    stand_ins = StandIns("name")
    kept = stand_ins.keep(f"<b>{stand_ins.markers['name']}</b>")
    assert kept.fill_escaped({"name": "A&amp;B"}) == "<b>A&amp;B</b>"


def test_no_two_sets_of_stand_ins_look_alike():
    assert StandIns("csrf").markers["csrf"] != StandIns("csrf").markers["csrf"]
