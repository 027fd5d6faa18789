"""The catalogue's total is counted once per filter and state of the catalogue, and the filter form's messages are
in the visitor's language: what a page says changes as soon as the catalogue or the language does."""

from __future__ import annotations

from catalog.models import Organisation, utcnow
from catalog.products import archive_product


def count_on(client, path: str = "/products") -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('id="result-count">')[1].split("<")[0]


def test_the_total_follows_the_catalogue_on_the_next_load(client, make, session):
    provider = make.organisation("provider")
    products = [make.product(provider) for _ in range(3)]
    assert count_on(client) == "共 3 个产品"
    assert count_on(client, "/products?sort=price_asc") == "共 3 个产品"  # another sort, the same total
    archive_product(session, provider=provider, product_id=products[0].id, actor=None)
    session.commit()
    assert count_on(client, "/products?sort=price_asc&page=1") == "共 2 个产品"
    assert count_on(client) == "共 2 个产品"


def test_a_renamed_provider_shows_on_the_next_load(client, make, session):
    provider = make.organisation("provider", name="旧名服务商")
    make.product(provider)
    assert "旧名服务商" in client.get("/products").get_data(as_text=True)
    row = session.get(Organisation, provider.id)
    row.name, row.updated_at = "新名服务商", utcnow()
    session.commit()
    page = client.get("/products?sort=delivery").get_data(as_text=True)
    assert "新名服务商" in page and "旧名服务商" not in page


def test_the_filter_messages_follow_the_visitors_language(client, make):
    make.product()
    bad = "/products?price_min=-3"
    assert "数值大小必须介于 0 到 100000 之间" in client.get(bad).get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get(bad).get_data(as_text=True)
    assert "Number must be between 0 and 100000" in english and "数值大小" not in english
    client.set_cookie("lang", "zh")
    assert "数值大小必须介于 0 到 100000 之间" in client.get(bad).get_data(as_text=True)
