"""Registration, sign-in and session invalidation for enterprises, providers and staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from catalog import uscc
from catalog.errors import Invalid, bilingual
from catalog.models import LoginFailure, Organisation, OrgKind, OrgState, User, new_token, pk, utcnow
from catalog.passwords import hash_password, needs_rehash, verify_password

MIN_PASSWORD = 10
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 10  # the 11th failed attempt within the window is refused without checking the password


@dataclass(frozen=True)
class Registration:
    kind: OrgKind
    organisation_name: str
    uscc: str
    contact_person: str
    phone: str
    email: str
    password: str


def check_password_strength(password: str) -> None:
    """Invalid unless the password is long enough and not a single repeated character."""
    if len(password) < MIN_PASSWORD or len(set(password)) < 4:
        raise Invalid(
            {
                "password": bilingual(
                    f"密码至少 {MIN_PASSWORD} 位且不能过于简单",
                    f"use at least {MIN_PASSWORD} varied characters",
                )
            }
        )


def _check_unique(session: Session, *, email: str, code: str | None) -> None:
    errors = {}
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        errors["email"] = bilingual("该邮箱已注册", "this e-mail is already registered")
    if code and session.exec(select(Organisation.id).where(Organisation.uscc == code)).first() is not None:
        errors["uscc"] = bilingual("该统一社会信用代码已注册", "this credit code is already registered")
    if errors:
        raise Invalid(errors)


def register(session: Session, *, registration: Registration) -> User:
    """A new organisation with its first user; providers wait for staff approval, enterprises start approved."""
    if registration.kind == OrgKind.STAFF:
        raise Invalid(
            {
                "kind": bilingual(
                    "工作人员账号只能由管理员创建", "staff accounts are created by an administrator"
                )
            }
        )
    code = uscc.normalise(registration.uscc)
    if not uscc.is_valid(code):
        raise Invalid(
            {
                "uscc": bilingual(
                    "统一社会信用代码无效（校验位不符）", "not a valid unified social credit code"
                )
            }
        )
    check_password_strength(registration.password)
    email = registration.email.strip().lower()
    _check_unique(session, email=email, code=code)
    org = Organisation(
        kind=registration.kind,
        name=registration.organisation_name.strip(),
        uscc=code,
        contact_person=registration.contact_person.strip(),
        phone=registration.phone.strip(),
        email=email,
        state=OrgState.PENDING if registration.kind == OrgKind.PROVIDER else OrgState.APPROVED,
    )
    session.add(org)
    session.flush()
    return add_user(
        session,
        organisation=org,
        email=email,
        password=registration.password,
        name=registration.contact_person,
        phone=registration.phone,
    )


def add_user(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    password: str,
    name: str = "",
    phone: str = "",
) -> User:
    """A user of an existing organisation, with the organisation's role."""
    check_password_strength(password)
    email = email.strip().lower()
    _check_unique(session, email=email, code=None)
    user = User(
        email=email,
        password_hash=hash_password(password),
        name=name.strip(),
        phone=phone.strip(),
        organisation_id=pk(organisation),
        kind=organisation.kind,
    )
    session.add(user)
    session.flush()
    return user


def recent_failures(session: Session, *, email: str) -> int:
    """Failed sign-ins for this e-mail within the window."""
    since = utcnow() - FAILURE_WINDOW
    query = (
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.email == email, col(LoginFailure.at) >= since)
    )
    return int(session.exec(query).one())


class TooManyAttempts(Invalid):
    status = 429


def authenticate(session: Session, *, email: str, password: str, ip: str = "") -> User | None:
    """The active user with these credentials, or None; failures are counted and the 11th in 15 minutes refused."""
    email = email.strip().lower()
    if recent_failures(session, email=email) >= MAX_FAILURES:
        raise TooManyAttempts(
            {
                "email": bilingual(
                    "登录失败次数过多，请 15 分钟后再试", "too many failed sign-ins; try again in 15 minutes"
                )
            }
        )
    user = session.exec(select(User).where(User.email == email)).first()
    if (
        not verify_password(user.password_hash if user else None, password)
        or user is None
        or not user.is_active
    ):
        session.add(LoginFailure(email=email, ip=ip[:64]))
        session.flush()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user


def end_sessions(session: Session, *, user: User) -> None:
    """Invalidate every session of the user (sign-out, password change, suspension) by rotating its token."""
    user.session_token = new_token()
    session.add(user)
    session.flush()


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; every other session ends."""
    if not verify_password(user.password_hash, current):
        raise Invalid({"current_password": bilingual("当前密码不正确", "the current password is wrong")})
    check_password_strength(new)
    user.password_hash = hash_password(new)
    end_sessions(session, user=user)


# Built once: this runs on every signed-in request, and building the statement cost a quarter of the query.
_SIGNED_IN = (
    select(User, Organisation)
    .join(Organisation, col(Organisation.id) == col(User.organisation_id))
    .where(col(User.id) == bindparam("user_id"))
)


def signed_in(session: Session, session_id: str) -> tuple[User, Organisation] | None:
    """The user behind a session id ``"<user id>:<token>"`` with their organisation, read in one query; None unless
    the token is still current, the user active and the organisation not suspended (providers keep signing in)."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token or int(user_id) > 2_147_483_647:
        return None
    found = session.exec(_SIGNED_IN, params={"user_id": int(user_id)}).first()
    if found is None:
        return None
    user, org = found
    if not user.is_active or user.session_token != token:
        return None
    if org.state == OrgState.SUSPENDED and org.kind != OrgKind.PROVIDER:
        return None
    return user, org


def user_by_session_id(session: Session, session_id: str) -> User | None:
    """The user behind a session id ``"<user id>:<token>"``, if the token is still current and the user active."""
    found = signed_in(session, session_id)
    return found[0] if found else None
