"""The catalogue's filter form (read from the query string, so no CSRF token)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import support
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField
from wtforms.i18n import messages_path
from wtforms.validators import NumberRange, Optional

from catalog.queries import PER_PAGE_CHOICES, SORTS
from catalog.taxonomy import DEPLOYMENTS, load_taxonomy
from marketplace.forms_common import options
from marketplace.templating import locale, term_label

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


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

        def get_translations(self, form: Any) -> support.NullTranslations:
            """WTForms' own messages in the visitor's language, loaded once per process (Flask-WTF reads them from
            disk for every request whose form says something: every catalogue page)."""
            return _wtforms_messages(locale())

    group = SelectField(_l("场景大类"), validators=[Optional()], validate_choice=True)
    scenario = SelectField(_l("场景"), validators=[Optional()])
    industry = SelectField(_l("行业"), validators=[Optional()])
    price_min = DecimalField(_l("最低价格（万元）"), validators=[Optional(), NumberRange(min=0, max=100000)])
    price_max = DecimalField(_l("最高价格（万元）"), validators=[Optional(), NumberRange(min=0, max=100000)])
    deployment = SelectField(_l("部署方式"), validators=[Optional()])
    delivery = IntegerField(_l("交付天数不超过"), validators=[Optional(), NumberRange(min=1, max=3650)])
    sort = SelectField(_l("排序"), validators=[Optional()])
    per_page = SelectField(_l("每页"), validators=[Optional()], coerce=int, default=PER_PAGE_CHOICES[1])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taxonomy = load_taxonomy()
        anything = [("", _l("全部"))]
        self.group.choices = options(
            anything + [(code, term_label("group", code)) for code in taxonomy.groups]
        )
        self.scenario.choices = options(
            anything + [(code, term_label("scenario", code)) for code in taxonomy.scenarios]
        )
        self.industry.choices = options(
            anything + [(code, term_label("industry", code)) for code in taxonomy.industries]
        )
        self.deployment.choices = options(
            anything + [(code, term_label("deployment", code)) for code in DEPLOYMENTS]
        )
        self.sort.choices = options([(code, SORT_LABELS[code]) for code in SORTS])
        self.per_page.choices = options([(n, str(n)) for n in PER_PAGE_CHOICES])
