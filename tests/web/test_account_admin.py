"""Staff suspend and reactivate accounts; a suspended account's sessions end and its cookies replay to nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from catalog.models import AuditEvent, User
from tests.conftest import PASSWORD, Auth

WORKSPACE = {"enterprise": "/workspace/", "provider": "/provider/", "staff": "/staff/"}


def _signed_in(app, user) -> Auth:
    auth = Auth(app.test_client())
    assert auth.login(user.email).status_code == 302
    return auth


def _suspend(staff: Auth, user_id: int, reason: str = "冒用他人信息"):
    return staff.post(
        f"/staff/accounts/{user_id}/decide",
        {"decision": "suspend", "reason": reason},
        form_page="/staff/accounts",
    )


def _refused(client, path: str) -> bool:
    """True when the session no longer reaches the page: sent to sign in."""
    response = client.get(path)
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_find_accounts_by_role_and_name(app, make):
    staff = _signed_in(app, make.user("staff"))
    enterprise = make.user("enterprise", name="王工")
    provider = make.user("provider")
    page = staff.client.get("/staff/accounts?kind=enterprise").get_data(as_text=True)
    assert enterprise.email in page and provider.email not in page
    page = staff.client.get("/staff/accounts?q=王工").get_data(as_text=True)
    assert enterprise.email in page and provider.email not in page
    assert "没有符合条件的账号" in staff.client.get("/staff/accounts?q=nobody-here").get_data(as_text=True)


def test_suspending_an_account_ends_its_sessions_refuses_sign_in_and_is_audited(app, session, make):
    staff = _signed_in(app, make.user("staff"))
    user = make.user("enterprise")
    victim = _signed_in(app, user)
    stolen = victim.client.get_cookie("session").value
    assert victim.client.get("/workspace/").status_code == 200

    assert _suspend(staff, user.id).status_code == 302
    assert _refused(victim.client, "/workspace/")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert _refused(thief, "/workspace/")
    assert Auth(app.test_client()).login(user.email).status_code == 401
    session.expire_all()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.suspended")).one()
    assert event.detail["reason"] == "冒用他人信息" and event.subject_id == str(user.id)
    assert "已停用" in staff.client.get(f"/staff/accounts?q={user.email}").get_data(as_text=True)


def test_a_reactivated_account_signs_in_again_but_old_cookies_stay_dead(app, make):
    staff = _signed_in(app, make.user("staff"))
    user = make.user("provider")
    victim = _signed_in(app, user)
    stolen = victim.client.get_cookie("session").value
    _suspend(staff, user.id)
    response = staff.post(
        f"/staff/accounts/{user.id}/decide", {"decision": "approve"}, form_page="/staff/accounts"
    )
    assert response.status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert _refused(thief, "/provider/")
    assert _signed_in(app, user).client.get("/provider/").status_code == 200


def test_a_suspension_needs_a_reason_and_staff_cannot_suspend_themselves(app, session, make):
    me = make.user("staff")
    staff = _signed_in(app, me)
    user = make.user("enterprise")
    response = _suspend(staff, user.id, reason="  ")
    assert "停用账号时必须填写原因" in staff.client.get(response.headers["Location"]).get_data(as_text=True)
    response = _suspend(staff, me.id)
    assert "不能停用自己的账号" in staff.client.get(response.headers["Location"]).get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).is_active and session.get(User, me.id).is_active
    assert _suspend(staff, 2_000_000).status_code == 404


@pytest.mark.parametrize("role", ["enterprise", "provider", "staff"])
def test_every_replayed_cookie_is_refused_after_logout_password_change_and_suspension(app, make, role):
    admin = _signed_in(app, make.user("staff"))
    refused, tried = 0, 0
    for ending in ("logout", "password", "suspension"):
        user = make.user(role)
        auth = _signed_in(app, user)
        cookie = auth.client.get_cookie("session").value
        if ending == "logout":
            auth.logout()
        elif ending == "password":
            new = "a-brand-new-password"
            data = {"current_password": PASSWORD, "new_password": new, "confirm": new}
            assert auth.post("/account/password", data, form_page="/account/password").status_code == 302
        else:
            _suspend(admin, user.id)
        replay = app.test_client()
        replay.set_cookie("session", cookie)
        tried += 1
        refused += _refused(replay, WORKSPACE[role])
    assert (refused, tried) == (3, 3)


def test_odd_page_numbers_show_the_first_page(app, make):
    staff = _signed_in(app, make.user("staff"))
    for page in ("²3", "0", "-1", "9" * 50, "abc"):
        assert staff.client.get(f"/staff/accounts?page={page}").status_code == 200
