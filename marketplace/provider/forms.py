"""The provider's profile and product forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from catalog.taxonomy import COUNTIES, DEPLOYMENTS, load_taxonomy
from catalog.validation import DESCRIPTION_MAX, NAME_MAX, SUMMARY_MAX
from marketplace.forms_common import CheckboxesField, options
from marketplace.templating import pick, term_label


class ProductForm(FlaskForm):
    name = StringField(_l("产品名称"), validators=[DataRequired(), Length(max=NAME_MAX)])
    summary = StringField(
        _l("一句话简介"), validators=[Optional(), Length(max=SUMMARY_MAX)], description=_l("不超过 60 个字")
    )
    description = TextAreaField(
        _l("详细介绍"), validators=[Optional(), Length(max=DESCRIPTION_MAX)], render_kw={"rows": 8}
    )
    scenarios = SelectMultipleField(
        _l("应用场景（1-3 个，第一个为主场景）"), validators=[DataRequired()], render_kw={"size": 10}
    )
    industries = CheckboxesField(_l("适用行业（不选表示通用）"), validators=[Optional()])
    price_min_wan = DecimalField(
        _l("最低价格（万元）"), validators=[InputRequired(), NumberRange(min=0, max=100000)]
    )
    price_max_wan = DecimalField(
        _l("最高价格（万元）"), validators=[InputRequired(), NumberRange(min=0, max=100000)]
    )
    deployment = SelectField(_l("部署方式"), validators=[DataRequired()])
    delivery_days = IntegerField(
        _l("交付周期（天）"), validators=[InputRequired(), NumberRange(min=1, max=3650)]
    )
    submit = SubmitField(_l("保存草稿"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taxonomy = load_taxonomy()
        self.scenarios.choices = options(
            [
                (code, f"{term_label('group', term.group)} · {term_label('scenario', code)}")
                for code, term in taxonomy.scenarios.items()
            ]
        )
        self.industries.choices = options(
            [(code, term_label("industry", code)) for code in taxonomy.industries]
        )
        self.deployment.choices = options([(code, term_label("deployment", code)) for code in DEPLOYMENTS])

    def raw(self) -> dict:
        """The input in the catalogue's own shape, for the domain's validation."""
        return {
            "name": self.name.data,
            "summary": self.summary.data or "",
            "description": self.description.data or "",
            "scenarios": list(self.scenarios.data or []),
            "industries": list(self.industries.data or []),
            "price_min_wan": self.price_min_wan.data,
            "price_max_wan": self.price_max_wan.data,
            "deployment": self.deployment.data,
            "delivery_days": self.delivery_days.data,
        }


class ProviderProfileForm(FlaskForm):
    name = StringField(_l("机构名称"), validators=[DataRequired(), Length(max=120)])
    introduction = TextAreaField(
        _l("服务商简介"), validators=[Optional(), Length(max=4000)], render_kw={"rows": 6}
    )
    city = StringField(_l("所在城市"), validators=[Optional(), Length(max=40)])
    service_counties = CheckboxesField(_l("服务县区"), validators=[Optional()])
    industries_served = CheckboxesField(_l("服务行业"), validators=[Optional()])
    contact_person = StringField(_l("联系人"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("联系电话"), validators=[DataRequired(), Length(max=30)])
    email = StringField(_l("联系邮箱"), validators=[Optional(), Length(max=254)])
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_counties.choices = options([(code, pick(pair)) for code, pair in COUNTIES.items()])
        self.industries_served.choices = options(
            [(code, term_label("industry", code)) for code in load_taxonomy().industries]
        )


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with its CSRF token."""

    submit = SubmitField(_l("确认"))
