"""Migration 0007 (reviews' normalised text, the address check's index) on a database that already holds reviews.

Runs on the database chosen by TEST_DATABASE: a fresh SQLite file, or a throwaway PostgreSQL database.
"""

from alembic import command
from sqlalchemy import inspect

from marketplace.db import make_engine
from marketplace.migrate import alembic_config, upgrade
from reviews.duplicates import normalise
from tests.integration.migration_db import rows

NOW = "2026-01-01 00:00:00"
SETUP = [
    """INSERT INTO organisation (id, name, contact_person, phone, email, introduction, city, kind, state,
        service_counties, industries_served, created_at, updated_at)
    VALUES (1, '洛阳老企业', '', '', '', '', '', 'enterprise', 'approved', '[]', '[]', :now, :now),
           (2, '服务商', '', '', '', '', '', 'provider', 'approved', '[]', '[]', :now, :now)""",
    """INSERT INTO product (id, name, summary, description, price_min_wan, price_max_wan, deployment,
        delivery_days, language, external_id, provider_id, state, listed, primary_scenario, scenarios,
        industries, reject_reason, created_at, updated_at)
    VALUES (1, '视觉质检', '', '', 1, 2, 'cloud', 30, 'zh', 'P1', 2, 'published', true, 'visual_inspection',
        '[]', '[]', '', :now, :now),
           (2, '能耗管理', '', '', 1, 2, 'cloud', 30, 'zh', 'P2', 2, 'published', true, 'energy_management',
        '[]', '[]', '', :now, :now)""",
    """INSERT INTO engagement (id, enterprise_id, provider_id, state, message, decline_reason, diagnosis_report,
        plan, documents, created_at, updated_at)
    VALUES (1, 1, 2, 'accepted', '', '', '', '', '[]', :now, :now)""",
]
REVIEW = """
INSERT INTO review (engagement_id, product_id, provider_id, enterprise_id, effect, delivery, cost, service,
    recommend, text, ip, created_at, held, flags, hidden, hidden_reason, reply)
VALUES (1, :product, 2, 1, 4, 4, 4, 4, 8, :text, '10.0.0.1', :now, false, '[]', false, '', '')
"""
TEXTS = {1: "上线以后，漏检率从 3％ 降到 0.5％！ＡＩ 质检很稳定。", 2: ""}


def review_indexes(url) -> set[str]:
    engine = make_engine(url)
    try:
        return {index["name"] for index in inspect(engine).get_indexes("review")}  # type: ignore[misc]
    finally:
        engine.dispose()


def test_0007_fills_the_normalised_text_of_existing_reviews_and_downgrades(fresh_url):
    upgrade(fresh_url, "0006")
    for sql in SETUP:
        rows(fresh_url, sql, now=NOW)
    for product, review_text in TEXTS.items():
        rows(fresh_url, REVIEW, product=product, text=review_text, now=NOW)

    upgrade(fresh_url, "0007")
    assert rows(fresh_url, "SELECT product_id, text_normalised FROM review ORDER BY product_id") == [
        (1, normalise(TEXTS[1])),
        (2, ""),
    ]
    assert normalise(TEXTS[1]) == "上线以后漏检率从3降到05ai质检很稳定"
    assert "ix_review_ip_enterprise_created" in review_indexes(fresh_url)

    command.downgrade(alembic_config(fresh_url), "0006")
    assert "ix_review_ip_enterprise_created" not in review_indexes(fresh_url)
    assert rows(fresh_url, "SELECT COUNT(*) FROM review") == [(2,)]
    upgrade(fresh_url)
    assert rows(fresh_url, "SELECT text_normalised FROM review WHERE product_id = 1") == [
        (normalise(TEXTS[1]),)
    ]
