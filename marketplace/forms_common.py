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


MAX_DB_INT = 2_147_483_647  # the largest value an integer column holds


def whole_number(raw: str | None, *, low: int = 1, high: int = MAX_DB_INT) -> int | None:
    """The number in raw when it is plain ASCII digits within [low, high]; None for anything else.

    str.isdigit() alone lets through digits int() refuses ("¹", "²") and strings too long for int() to convert,
    and an id beyond the integer column fails in the database driver: each of those was a 500.
    """
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(high)):
        return None
    number = int(raw)
    return number if low <= number <= high else None
