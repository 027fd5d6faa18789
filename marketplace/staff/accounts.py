"""Staff manage user accounts: find one, suspend it (its sessions end at once) or reactivate it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalog import account_admin
from marketplace import db
from marketplace.forms_common import whole_number
from marketplace.guards import decide, me, role_required
from marketplace.staff import bp
from marketplace.staff.forms import DecisionForm

ACTIVITY = {"active": True, "suspended": False}
LIST_ARGS = ("kind", "state", "q", "page")


def _list_args() -> dict[str, str]:
    """The list's own query arguments, carried through a decision back to the same view of the list."""
    return {name: request.args[name][:60] for name in LIST_ARGS if request.args.get(name)}


@bp.route("/accounts")
@role_required("staff")
def accounts():
    """Every user account, newest first, narrowed by role, state and a name or email fragment."""
    page = account_admin.find_users(
        db.session(),
        kind=request.args.get("kind") or None,
        active=ACTIVITY.get(request.args.get("state", "")),
        text=request.args.get("q", "").strip()[:60],
        page=whole_number(request.args.get("page"), high=99_999) or 1,
    )
    return render_template("staff/accounts.html", page=page, form=DecisionForm(), kept=_list_args())


@bp.route("/accounts/<int:user_id>/decide", methods=["POST"])
@role_required("staff")
def decide_account(user_id: int):
    """Suspend an account (a reason is required) or reactivate it (decision "approve")."""
    form = DecisionForm()
    if form.validate_on_submit() and form.decision.data in ("suspend", "approve"):
        decide(
            lambda: account_admin.set_user_active(
                db.session(),
                user_id=user_id,
                active=form.decision.data == "approve",
                reason=form.reason.data or "",
                actor=me(),
            ),
            done=_("账号状态已更新。"),
        )
    else:
        flash(_("无效的操作。"), "danger")
    return redirect(url_for("staff.accounts", **_list_args()))
