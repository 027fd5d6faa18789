import pytest

from catalog import accounts
from catalog.errors import Invalid
from catalog.models import OrgKind, OrgState
from catalog.uscc import make_code


def registration(**over):
    fields = {
        "kind": OrgKind.PROVIDER,
        "organisation_name": "洛阳智造科技",
        "uscc": make_code(7),
        "contact_person": "王工",
        "phone": "0379-6000000",
        "email": "Wang@Example.cn",
        "password": "a-strong-password",
    }
    return accounts.Registration(**{**fields, **over})


def test_a_provider_registers_and_waits_for_vetting(session):
    user = accounts.register(session, registration=registration())
    session.commit()
    assert user.email == "wang@example.cn"
    assert user.kind == "provider"
    org = session.get(accounts.Organisation, user.organisation_id)
    assert org.state == OrgState.PENDING


def test_an_enterprise_starts_approved(session):
    user = accounts.register(session, registration=registration(kind=OrgKind.ENTERPRISE))
    assert session.get(accounts.Organisation, user.organisation_id).state == OrgState.APPROVED


def test_staff_cannot_register_themselves(session):
    with pytest.raises(Invalid) as caught:
        accounts.register(session, registration=registration(kind=OrgKind.STAFF))
    assert "kind" in caught.value.errors


def test_credit_code_check_digit_and_uniqueness(session):
    with pytest.raises(Invalid) as caught:
        accounts.register(session, registration=registration(uscc=make_code(7)[:-1] + "0"))
    assert "uscc" in caught.value.errors
    accounts.register(session, registration=registration())
    with pytest.raises(Invalid) as caught:
        accounts.register(session, registration=registration(email="other@example.cn"))
    assert "uscc" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        accounts.register(session, registration=registration(uscc=make_code(8)))
    assert "email" in caught.value.errors


def test_weak_passwords_are_refused(session):
    with pytest.raises(Invalid) as caught:
        accounts.register(session, registration=registration(password="aaaaaaaaaaaa"))
    assert "password" in caught.value.errors


def test_authentication_counts_failures_and_refuses_the_eleventh(session):
    accounts.register(session, registration=registration())
    for _ in range(accounts.MAX_FAILURES):
        assert accounts.authenticate(session, email="wang@example.cn", password="wrong-password") is None
    with pytest.raises(accounts.TooManyAttempts):
        accounts.authenticate(session, email="wang@example.cn", password="a-strong-password")


def test_right_password_signs_in_and_token_rotation_ends_sessions(session):
    user = accounts.register(session, registration=registration())
    assert accounts.authenticate(session, email=" WANG@example.cn ", password="a-strong-password") == user
    session_id = f"{user.id}:{user.session_token}"
    assert accounts.user_by_session_id(session, session_id) == user
    accounts.end_sessions(session, user=user)
    assert accounts.user_by_session_id(session, session_id) is None
    assert accounts.user_by_session_id(session, "garbage") is None
