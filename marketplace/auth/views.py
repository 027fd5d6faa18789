"""Sign-up, sign-in, sign-out and password change."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from catalog import accounts
from catalog.errors import Invalid
from catalog.models import Organisation, OrgKind
from marketplace import db
from marketplace.auth import bp
from marketplace.auth.forms import LoginForm, PasswordForm, RegisterForm
from marketplace.extensions import limiter
from marketplace.guards import me, safe_next, show_errors
from marketplace.security import CurrentUser

HOME_OF = {"enterprise": "workspace.home", "provider": "provider.home", "staff": "staff.home"}


def _sign_in(user_row, organisation: Organisation) -> None:
    session.clear()  # a fresh session at sign-in: nothing from before carries over (session fixation)
    login_user(CurrentUser(user_row, organisation))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def register():
    """Enterprises and providers register themselves; providers wait for staff approval."""
    form = RegisterForm(kind=request.args.get("kind", "enterprise"))
    if form.validate_on_submit():
        registration = accounts.Registration(
            kind=OrgKind(form.kind.data),
            organisation_name=form.organisation_name.data,
            uscc=form.uscc.data,
            contact_person=form.contact_person.data,
            phone=form.phone.data,
            email=form.email.data,
            password=form.password.data,
        )
        try:
            user = accounts.register(db.session(), registration=registration)
        except Invalid as error:
            db.session().rollback()
            show_errors(form, error)
        else:
            db.session().commit()
            _sign_in(user, db.session().get(Organisation, user.organisation_id))
            flash(_("注册成功，欢迎加入。"), "success")
            if user.kind == OrgKind.PROVIDER:
                flash(_("服务商资料需经市工信局审核通过后，产品才能发布。"), "info")
            return redirect(url_for(HOME_OF[user.kind]))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME_OF[current_user.kind]))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session(), email=form.email.data, password=form.password.data, ip=request.remote_addr or ""
            )
        except accounts.TooManyAttempts as error:
            show_errors(form, error)
            status = 429
        else:
            db.session().commit()
            if user is not None:
                _sign_in(user, db.session().get(Organisation, user.organisation_id))
                return redirect(safe_next(request.args.get("next")) or url_for(HOME_OF[user.kind]))
            form.password.errors = [_("邮箱或密码不正确")]
            status = 401
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out everywhere this session was used: the token rotates, so a replayed cookie no longer works."""
    accounts.end_sessions(db.session(), user=me())
    db.session().commit()
    logout_user()
    session.clear()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other session ends, this one is renewed."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                db.session(), user=me(), current=form.current_password.data, new=form.new_password.data
            )
        except Invalid as error:
            db.session().rollback()
            show_errors(form, error)
        else:
            db.session().commit()
            _sign_in(me(), current_user.organisation)
            flash(_("密码已修改，其他设备上的登录已失效。"), "success")
            return redirect(url_for(HOME_OF[current_user.kind]))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200
