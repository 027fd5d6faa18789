from sqlalchemy import text

from catalog import audit


def test_a_changed_or_deleted_entry_breaks_the_chain(session, make):
    actor = make.user("staff")
    events = [
        audit.record(session, actor=actor, action="product.publish", subject_type="product", subject_id=n)
        for n in range(5)
    ]
    session.commit()
    assert audit.verify_chain(session).ok and audit.verify_chain(session).checked == 5

    session.execute(text("UPDATE audit_event SET subject_id = '99' WHERE id = :id"), {"id": events[2].id})
    session.commit()
    report = audit.verify_chain(session)
    assert report.broken_at == events[2].id and "changed" in report.reason

    session.execute(text("UPDATE audit_event SET subject_id = '2' WHERE id = :id"), {"id": events[2].id})
    session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[1].id})
    session.commit()
    report = audit.verify_chain(session)
    assert report.broken_at == events[2].id and "deleted" in report.reason
