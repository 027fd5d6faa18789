"""Registration, sign-in and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from catalog import uscc
from marketplace.forms_common import options


def _valid_uscc(form: FlaskForm, field: StringField) -> None:
    from wtforms.validators import ValidationError

    if not uscc.is_valid(field.data or ""):
        raise ValidationError(_l("统一社会信用代码无效：应为 18 位且校验位正确"))


class RegisterForm(FlaskForm):
    kind = RadioField(
        _l("机构类型"),
        choices=options([("enterprise", _l("企业")), ("provider", _l("数字化服务商"))]),
        validators=[DataRequired()],
        default="enterprise",
    )
    organisation_name = StringField(_l("机构名称"), validators=[DataRequired(), Length(max=120)])
    uscc = StringField(_l("统一社会信用代码"), validators=[DataRequired(), _valid_uscc])
    contact_person = StringField(_l("联系人"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(
        _l("联系电话"),
        validators=[
            DataRequired(),
            Length(max=30),
            Regexp(r"^[0-9+\- ()]{7,30}$", message=_l("请输入有效的电话号码")),
        ],
    )
    email = EmailField(
        _l("电子邮箱"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(min=10, max=128)])
    confirm = PasswordField(
        _l("确认密码"), validators=[DataRequired(), EqualTo("password", message=_l("两次输入的密码不一致"))]
    )
    submit = SubmitField(_l("注册"))


class LoginForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=128)])
    submit = SubmitField(_l("登录"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired()])
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(), Length(min=10, max=128)])
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("两次输入的密码不一致"))],
    )
    submit = SubmitField(_l("修改密码"))
