"""The catalogue's filter form (read from the query string, so no CSRF token)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import support
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import NumberRange, Optional

from catalog.queries import PER_PAGE_CHOICES, SORTS
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from marketplace.forms_common import options
from marketplace.templating import locale, term_label

_INVALID_CHOICE = "Not a valid choice."  # WTForms' own message, which its own catalogue translates
SORT_LABELS = {
    "newest": _l("最新发布"),
    "price_asc": _l("价格从低到高"),
    "price_desc": _l("价格从高到低"),
    "delivery": _l("交付最快"),
    "name": _l("名称"),
    "rating": _l("评分最高"),
}


@lru_cache(maxsize=4)
def _wtforms_messages(lang: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [lang], domain="wtforms")


class _Select(SelectField):
    """A select whose value is looked up in a set of its choices' values: WTForms checks it by building two objects
    for each of its choices (46 choices on every catalogue page)."""

    allowed: frozenset[Any] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # what the templates style a select by

    def pre_validate(self, form: Any) -> None:
        """Not a valid choice unless the value is one of the choices' (as SelectField says it)."""
        if self.process_errors or not self.validate_choice:
            return
        if self.data not in self.allowed:
            raise ValidationError(self.invalid_choice_message or self.gettext(_INVALID_CHOICE))


@lru_cache(maxsize=4)
def _choices(lang: str) -> dict[str, tuple[list[SelectChoice], frozenset[Any]]]:
    """Each select's choices and their values, in ``lang`` (the visitor's language, which term_label answers in):
    built once per process instead of for every catalogue page."""
    taxonomy = load_taxonomy()
    anything = [("", _l("全部"))]
    pairs: dict[str, list[tuple[Any, Any]]] = {
        "group": anything + [(code, term_label("group", code)) for code in taxonomy.groups],
        "scenario": anything + [(code, term_label("scenario", code)) for code in taxonomy.scenarios],
        "industry": anything + [(code, term_label("industry", code)) for code in taxonomy.industries],
        "deployment": anything + [(code, term_label("deployment", code)) for code in DEPLOYMENTS],
        "sort": [(code, SORT_LABELS[code]) for code in SORTS],
        "per_page": [(n, str(n)) for n in PER_PAGE_CHOICES],
    }
    return {
        name: (options(choices), frozenset(value for value, _label in choices))
        for name, choices in pairs.items()
    }


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

        def get_translations(self, form: Any) -> support.NullTranslations:
            """WTForms' own messages in the visitor's language, loaded once per process (Flask-WTF reads them from
            disk for every request whose form says something: every catalogue page)."""
            return _wtforms_messages(locale())

    group = _Select(_l("场景大类"), validators=[Optional()], validate_choice=True)
    scenario = _Select(_l("场景"), validators=[Optional()])
    industry = _Select(_l("行业"), validators=[Optional()])
    price_min = DecimalField(_l("最低价格（万元）"), validators=[Optional(), NumberRange(min=0, max=100000)])
    price_max = DecimalField(_l("最高价格（万元）"), validators=[Optional(), NumberRange(min=0, max=100000)])
    deployment = _Select(_l("部署方式"), validators=[Optional()])
    delivery = IntegerField(_l("交付天数不超过"), validators=[Optional(), NumberRange(min=1, max=3650)])
    sort = _Select(_l("排序"), validators=[Optional()])
    per_page = _Select(_l("每页"), validators=[Optional()], coerce=int, default=PER_PAGE_CHOICES[1])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (choices, allowed) in _choices(locale()).items():
            field = getattr(self, name)
            field.choices, field.allowed = choices, allowed
