"""Migration 0006 (enterprise cloud use and smart site) on a database that already holds enterprises and projects.

Runs on the database chosen by TEST_DATABASE: a fresh SQLite file, or a throwaway PostgreSQL database.
"""

from alembic import command

from marketplace.migrate import alembic_config, upgrade
from tests.integration.migration_db import rows

ORGANISATION = """
INSERT INTO organisation (id, name, contact_person, phone, email, introduction, city, kind, state,
    service_counties, industries_served, batch, created_at, updated_at)
VALUES (:id, :name, '', '', '', '', '', :kind, 'approved', '[]', '[]', :batch, :now, :now)
"""


def test_0006_adds_the_columns_to_existing_enterprises_and_downgrades(fresh_url):
    upgrade(fresh_url, "0005")
    now = "2026-01-01 00:00:00"
    rows(fresh_url, ORGANISATION, id=1, name="洛阳老企业", kind="enterprise", batch=1, now=now)
    rows(fresh_url, ORGANISATION, id=2, name="服务商", kind="provider", batch=None, now=now)
    # a project pointing at the enterprise: the table it references must survive the change with its rows
    rows(
        fresh_url,
        "INSERT INTO engagement (enterprise_id, provider_id, state, message, decline_reason, diagnosis_report, "
        "plan, documents, created_at, updated_at) VALUES (1, 2, 'accepted', '', '', '', '', '[]', :now, :now)",
        now=now,
    )

    upgrade(fresh_url, "0006")
    assert rows(fresh_url, "SELECT name, on_cloud, smart_site FROM organisation WHERE id = 1") == [
        ("洛阳老企业", False, None)
    ]
    rows(fresh_url, "UPDATE organisation SET on_cloud = :yes, smart_site = 'factory' WHERE id = 1", yes=True)
    assert rows(fresh_url, "SELECT on_cloud, smart_site FROM organisation WHERE id = 1") == [
        (True, "factory")
    ]

    command.downgrade(alembic_config(fresh_url), "0005")
    assert rows(fresh_url, "SELECT name FROM organisation ORDER BY id") == [("洛阳老企业",), ("服务商",)]
    assert rows(fresh_url, "SELECT COUNT(*) FROM engagement") == [(1,)]
    upgrade(fresh_url)
    assert rows(fresh_url, "SELECT on_cloud, smart_site FROM organisation WHERE id = 1") == [(False, None)]
