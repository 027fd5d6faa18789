"""The catalogue list shows its cards and page links exactly as the shared macros draw them (it fills copies of them
kept per process), in both languages, signed in or not; providers' names are the database's current ones, whichever
worker renamed them; and a page nobody asked for yet costs two statements."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from catalog.models import Organisation, utcnow
from catalog.queries import CatalogFilters, browse_cards, count_public, provider_names
from marketplace import create_app
from tests.conftest import PASSWORD, Auth, app_settings

TRICKY = ["A&B <b>x</b>", "\"引号\" '单引号'", "{url} {{name}} %(days)s %s", "视觉&lt;检测", "}{"]
REFERENCE = (
    "{% from '_macros.html' import product_card, pagination %}"
    '{% for p in page.items %}<div class="col">{{ product_card(p, providers.get(p.provider_id)) }}</div>{% endfor %}'
    "@@{{ pagination(page) }}"
)


@pytest.fixture
def catalogue(make, session) -> Organisation:
    """Products of every shape a card has: one to three scenarios, general or by industry, rated or not, and texts
    that need escaping (or look like format fields) in names, summaries and a provider's name. Returns the provider
    with a plain name."""
    tricky_provider = make.organisation("provider", name='A&B <科技> "有限" {公司}')
    plain_provider = make.organisation("provider", name="洛阳视觉科技")
    scenario_sets = [
        ["visual_inspection"],
        ["energy_management", "mes"],
        ["warehouse", "logistics", "procurement"],
    ]
    for n in range(27):
        product = make.product(
            tricky_provider if n % 2 else plain_provider,
            name=f"{TRICKY[n % len(TRICKY)]} {n}",
            summary=TRICKY[(n + 1) % len(TRICKY)],
            scenarios=scenario_sets[n % 3],
            industries=[[], ["bearings"], ["bearings", "chemicals"]][n % 3],
            price_min_wan=0.5 + n,
            price_max_wan=1234.5 + n,
            delivery_days=7 + n,
        )
        if n % 4 == 0:
            product.rating, product.review_count = 3.25 + n / 10, n + 1
            session.add(product)
    session.commit()
    return plain_provider


def reference(app, session, path: str, lang: str, *, sort: str, page: int, per_page: int) -> tuple[str, str]:
    """The cards and the page links of a catalogue page as the shared macros draw them for the same products."""
    filters = CatalogFilters()
    with app.test_request_context(path, headers={"Cookie": f"lang={lang}"}):
        listing = browse_cards(
            session,
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
            total=count_public(session, filters=filters),
        )
        providers = provider_names(session, [card.provider_id for card in listing.items])
        html = app.jinja_env.from_string(REFERENCE).render(page=listing, providers=providers)
    cards, links = html.split("@@")
    return cards, links


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cards_and_page_links_are_what_the_shared_macros_draw(app, session, make, catalogue, lang, signed_in):
    client = app.test_client()
    client.set_cookie("lang", lang)
    if signed_in:
        Auth(client).login(make.user("enterprise").email, PASSWORD)
    for sort, page in [("name", 1), ("name", 2), ("price_desc", 3), ("newest", 1)]:
        path = f"/products?sort={sort}&per_page=12&note=%3Cb%3E%26%7Bx%7D&page={page}"
        html = client.get(path).get_data(as_text=True)
        cards, links = reference(app, session, path, lang, sort=sort, page=page, per_page=12)
        assert cards.count('class="card h-100 product-card"') == (12 if page < 3 else 3)
        assert cards in html and links in html, path
    # What the shapes above put on the page, escaped once.
    assert "A&amp;B &lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "A&amp;B &lt;科技&gt; &#34;有限&#34; {公司}" in html and "{url} {{name}} %(days)s %s" in html


def test_a_provider_renamed_by_another_worker_shows_on_the_next_load(
    app, session, make, catalogue, database_url, tmp_path
):
    other_worker = create_app(app_settings(database_url, tmp_path))
    try:
        assert "洛阳视觉科技" in other_worker.test_client().get("/products").get_data(as_text=True)
        catalogue.name, catalogue.updated_at = "改名后的服务商有限公司", utcnow()
        session.add(catalogue)
        session.commit()
        html = other_worker.test_client().get("/products?sort=newest").get_data(as_text=True)
        assert "改名后的服务商有限公司" in html and "洛阳视觉科技" not in html
        make.product(make.organisation("provider", name="新入驻的服务商"), name="新服务商的产品")
        html = other_worker.test_client().get("/products?sort=newest&page=1").get_data(as_text=True)
        assert "新服务商的产品" in html and "新入驻的服务商" in html
    finally:
        other_worker.extensions["db_engine"].dispose()


def test_a_page_nobody_asked_for_yet_reads_the_database_twice(app, client, catalogue):
    # The first page keeps the count of these filters and the providers' names.
    assert client.get("/products?per_page=12").status_code == 200
    statements: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        html = client.get("/products?per_page=12&page=2").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(re.findall('class="card h-100 product-card"', html)) == 12
    # the catalogue stamp, then the page's products
    assert len(statements) == 2, statements
