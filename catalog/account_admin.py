"""Staff managing user accounts: find them, suspend them (every session ends at once) and reactivate them."""

from __future__ import annotations

from sqlmodel import Session, col, func, or_, select

from catalog import accounts, audit
from catalog.errors import Conflict, Invalid, NotFound, bilingual
from catalog.models import Organisation, OrgKind, User
from catalog.queries import Page

PER_PAGE = 50


def find_users(
    session: Session, *, kind: str | None = None, text: str = "", active: bool | None = None, page: int = 1
) -> Page[tuple[User, Organisation]]:
    """Users with their organisations, newest first, narrowed by role, activity and a name/email fragment."""
    query = select(User, Organisation).join(Organisation, col(Organisation.id) == User.organisation_id)
    if kind in {k.value for k in OrgKind}:
        query = query.where(User.kind == kind)
    if active is not None:
        query = query.where(User.is_active == active)
    if text:
        query = query.where(
            or_(
                col(User.email).contains(text.lower()),
                col(User.name).contains(text),
                col(Organisation.name).contains(text),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = max(1, page)
    rows = session.exec(
        query.order_by(col(User.created_at).desc(), col(User.id).desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return Page(items=[(user, org) for user, org in rows], total=total, page=page, per_page=PER_PAGE)


def set_user_active(session: Session, *, user_id: int, active: bool, reason: str, actor: User) -> User:
    """Suspend (ending every session of the user) or reactivate an account; a suspension needs a reason."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    if user.id == actor.id:
        raise Conflict(bilingual("不能停用自己的账号", "you cannot suspend your own account"))
    if user.is_active == active:
        raise Conflict(bilingual("账号已处于该状态", "the account is already in that state"))
    if not active and not reason.strip():
        raise Invalid({"reason": bilingual("停用账号时必须填写原因", "a reason is required to suspend")})
    user.is_active = active
    session.add(user)
    if not active:
        accounts.end_sessions(session, user=user)
    audit.record(
        session,
        actor=actor,
        action="user.reactivated" if active else "user.suspended",
        subject_type="user",
        subject_id=user.id,
        detail={"reason": reason.strip()[:500], "email": user.email},
    )
    return user
