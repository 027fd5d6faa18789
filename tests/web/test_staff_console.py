from sqlmodel import select

from catalog.audit import verify_chain
from catalog.models import AuditEvent, Organisation


def test_staff_approve_a_provider_then_publish_its_product(client, auth, make, session):
    provider = make.organisation("provider", state="pending", name="待审服务商")
    product = make.product(provider, state="submitted", name="待审产品")
    staff = make.user("staff")
    auth.login(staff.email)
    assert "待审服务商" in client.get("/staff/providers?state=pending").get_data(as_text=True)
    assert "服务商未通过审核" in client.get("/staff/products").get_data(as_text=True)
    auth.post(f"/staff/providers/{provider.id}/decide", {"decision": "approve"}, form_page="/staff/providers")
    response = auth.post(
        f"/staff/products/{product.id}/decide", {"decision": "approve"}, form_page="/staff/products"
    )
    assert response.status_code == 302
    assert "待审产品" in client.get("/products").get_data(as_text=True)
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["provider.approved", "product.publish"]
    assert verify_chain(session).ok
    assert "product.publish" in client.get("/staff/audit").get_data(as_text=True)


def test_a_rejection_without_reason_is_refused_with_a_message(client, auth, make, session):
    product = make.product(state="submitted")
    auth.login(make.user("staff").email)
    response = auth.post(
        f"/staff/products/{product.id}/decide",
        {"decision": "reject", "reason": ""},
        form_page="/staff/products",
        follow_redirects=True,
    )
    assert "驳回时必须填写原因" in response.get_data(as_text=True)
    session.refresh(product)
    assert product.state == "submitted"


def test_suspension_needs_a_reason(client, auth, make, session):
    provider = make.organisation("provider")
    auth.login(make.user("staff").email)
    response = auth.post(
        f"/staff/providers/{provider.id}/decide",
        {"decision": "suspend"},
        form_page="/staff/providers",
        follow_redirects=True,
    )
    assert "暂停服务商时必须填写原因" in response.get_data(as_text=True)
    assert session.get(Organisation, provider.id).state == "approved"
