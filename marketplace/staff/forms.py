"""Staff decision forms: each decision may carry a reason, required where the domain says so."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional


class DecisionForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired(), AnyOf(["approve", "reject", "suspend"])])
    reason = TextAreaField(_l("原因"), validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    submit = SubmitField(_l("确认"))
