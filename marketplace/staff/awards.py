"""Staff: review moderation and award shortlisting (8 top providers, 10 top products)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, select

from catalog.errors import Invalid
from catalog.models import Product, Review
from catalog.validation import optional_number
from marketplace import db
from marketplace.exports import table_response
from marketplace.forms_common import whole_number
from marketplace.guards import decide, me, role_required
from marketplace.staff import bp
from reviews import services as reviews
from reviews import shortlisting
from reviews.awards import COMPONENTS


@bp.route("/reviews")
@role_required("staff")
def review_queue():
    """Flagged and hidden reviews, with why."""
    session = db.session()
    rows = session.exec(
        select(Review)
        .where(col(Review.held) | col(Review.hidden))
        .order_by(col(Review.created_at).desc())
        .limit(300)
    ).all()
    names = {
        p.id: p.name
        for p in session.exec(select(Product).where(col(Product.id).in_({r.product_id for r in rows}))).all()
    }
    return render_template("staff/reviews.html", rows=rows, names=names)


@bp.route("/reviews/<int:review_id>/moderate", methods=["POST"])
@role_required("staff")
def moderate(review_id: int):
    """Hide a review (with a reason) or clear its flags after checking it."""
    actions = {"hide": reviews.hide, "clear": reviews.clear_flags}
    action = actions.get(request.form.get("action", ""))
    if action is None:
        flash(_("无效的操作。"), "danger")
    else:
        reason = request.form.get("reason", "")
        decide(
            lambda: action(db.session(), review_id=review_id, reason=reason, actor=me()), done=_("已处理。")
        )
    return redirect(url_for("staff.review_queue"))


@bp.route("/awards")
@role_required("staff")
def awards():
    """Both rankings with score breakdowns, eligibility, stability and the staff's decisions."""
    session = db.session()
    board = shortlisting.board(session)
    fmt = request.args.get("format")
    if fmt:
        kind = request.args.get("kind", "provider")
        if kind not in ("provider", "product"):
            abort(400)  # any other kind has no names or ids to export (it was a KeyError, a 500)
        chosen = board.providers if kind == "provider" else board.products
        decided = shortlisting.decisions(session)
        rows = [
            [
                entry.rank,
                board.external[kind][entry.candidate.item_id],
                board.names[kind][entry.candidate.item_id],
                round(entry.score, 2),
                *[round(entry.contributions.get(c, 0.0), 2) for c in COMPONENTS],
                f"{entry.rank_range[0]}-{entry.rank_range[1]}",
                "yes" if (d := decided.get((kind, int(entry.candidate.item_id)))) and d.shortlisted else "",
                d.reason if d else "",
            ]
            for entry in chosen.ranked
        ]
        headers = [
            "排名 rank",
            "编号 id",
            "名称 name",
            "得分 score",
            *COMPONENTS,
            "排名区间 rank range (±20%)",
            "入围 shortlisted",
            "理由 reason",
        ]
        return table_response(f"award-{kind}s", headers, rows, fmt)
    return render_template(
        "staff/awards.html",
        board=board,
        weights=shortlisting.weights(session),
        decisions=shortlisting.decisions(session),
        components=COMPONENTS,
    )


@bp.route("/awards/weights", methods=["POST"])
@role_required("staff")
def award_weights():
    """Change the award weights."""
    decide(
        lambda: shortlisting.set_weights(db.session(), raw=request.form.to_dict(), actor=me()),
        done=_("权重已更新，排名已重新计算。"),
    )
    return redirect(url_for("staff.awards"))


def _score(raw: str) -> float:
    """The candidate's score sent with a decision (a hidden field): a finite number, or 0 when it is not one."""
    try:
        return optional_number(raw, low=0, high=1_000) or 0.0
    except ValueError:
        return 0.0


@bp.route("/awards/decide", methods=["POST"])
@role_required("staff")
def award_decide():
    """Mark a candidate shortlisted, or withdraw it, with a reason."""
    raw_id, raw_score = request.form.get("candidate_id", ""), request.form.get("score", "0")

    def record() -> None:
        candidate_id = whole_number(raw_id)
        if candidate_id is None:
            raise Invalid({"candidate_id": "无效的候选 / unknown candidate"})
        shortlisting.decide(
            db.session(),
            kind=request.form.get("kind", ""),
            candidate_id=candidate_id,
            shortlisted=request.form.get("shortlisted") == "1",
            reason=request.form.get("reason", ""),
            score=_score(raw_score),
            actor=me(),
        )

    decide(record, done=_("入围决定已记录。"))
    return redirect(url_for("staff.awards"))
