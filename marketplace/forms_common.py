"""Form pieces more than one blueprint uses."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice


class CheckboxesField(SelectMultipleField):
    """A multiple choice rendered as a list of check boxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Choices for a select field from (value, label) pairs (WTForms 3.3 wants SelectChoice objects)."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]
