"""The enterprise's profile form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from catalog.taxonomy import COUNTIES, DEPLOYMENTS, SCALES, SRDI, load_taxonomy
from marketplace.forms_common import CheckboxesField, options
from marketplace.templating import pick, term_label


class EnterpriseProfileForm(FlaskForm):
    name = StringField(_l("企业名称"), validators=[DataRequired(), Length(max=120)])
    industry = SelectField(_l("所属试点行业"), validators=[DataRequired()])
    scale = SelectField(_l("企业规模"), validators=[DataRequired()])
    srdi = SelectField(_l("专精特新"), validators=[DataRequired()])
    county = SelectField(_l("所在县区"), validators=[DataRequired()])
    employees = IntegerField(_l("员工人数"), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    digital_level = SelectField(
        _l("当前数字化水平"),
        coerce=int,
        validators=[Optional()],
        choices=options([(1, _l("一级")), (2, _l("二级")), (3, _l("三级")), (4, _l("四级"))]),
    )
    batch = SelectField(
        _l("试点批次"),
        coerce=int,
        validators=[Optional()],
        choices=options([(1, _l("第一批")), (2, _l("第二批")), (3, _l("第三批"))]),
    )
    on_cloud = BooleanField(
        _l("已上云用云"),
        description=_l("研发设计、经营管理或生产制造等核心业务系统已迁移到云端。"),
    )
    contact_person = StringField(_l("联系人"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("联系电话"), validators=[DataRequired(), Length(max=30)])
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.industry.choices = options(
            [(code, term_label("industry", code)) for code in load_taxonomy().industries]
        )
        self.scale.choices = options([(code, pick(pair)) for code, pair in SCALES.items()])
        self.srdi.choices = options([(code, pick(pair)) for code, pair in SRDI.items()])
        self.county.choices = options([(code, pick(pair)) for code, pair in COUNTIES.items()])


class DiagnosisForm(FlaskForm):
    findings = TextAreaField(
        _l("诊断发现（痛点、需求、目标）"),
        validators=[Optional(), Length(max=8000)],
        render_kw={"rows": 8},
        description=_l("按服务商诊断报告填写，中英文均可，可分条列出。"),
    )
    plan = TextAreaField(
        _l("改造方案（一企一策）"), validators=[Optional(), Length(max=8000)], render_kw={"rows": 4}
    )
    target_scenarios = CheckboxesField(_l("希望改造的场景（可选）"), validators=[Optional()])
    solved_scenarios = CheckboxesField(_l("已经具备的系统（不再推荐）"), validators=[Optional()])
    budget_wan = DecimalField(_l("预算（万元）"), validators=[Optional(), NumberRange(min=0, max=100000)])
    preferred_deployment = SelectField(_l("偏好的部署方式"), validators=[Optional()])
    submit = SubmitField(_l("保存诊断"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scenarios = [(code, term_label("scenario", code)) for code in load_taxonomy().scenarios]
        self.target_scenarios.choices = options(scenarios)
        self.solved_scenarios.choices = options(scenarios)
        self.preferred_deployment.choices = options(
            [("", _l("不限"))] + [(code, term_label("deployment", code)) for code in DEPLOYMENTS]
        )


class NoteForm(FlaskForm):
    note = TextAreaField(_l("备注"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2})
    submit = SubmitField(_l("保存备注"))
