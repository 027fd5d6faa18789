from catalog.models import OrgState
from catalog.queries import CatalogFilters, browse


def ids(page):
    return [product.name for product in page.items]


def test_filters_combine(session, make):
    provider = make.organisation("provider")
    make.product(
        provider,
        name="A",
        scenarios=["visual_inspection"],
        industries=["bearings"],
        price_min_wan=5,
        price_max_wan=8,
        deployment="on_premise",
        delivery_days=30,
    )
    make.product(
        provider,
        name="B",
        scenarios=["energy_management"],
        industries=[],
        price_min_wan=2,
        price_max_wan=4,
        deployment="saas",
        delivery_days=10,
    )
    make.product(
        provider,
        name="C",
        scenarios=["warehouse", "visual_inspection"],
        industries=["chemicals"],
        price_min_wan=40,
        price_max_wan=60,
        deployment="hybrid",
        delivery_days=90,
    )
    make.product(provider, name="D", state="draft")

    def names(**filters):
        return sorted(ids(browse(session, filters=CatalogFilters(**filters))))

    assert names() == ["A", "B", "C"]
    assert names(scenario="visual_inspection") == ["A", "C"]
    assert names(scenario_group="supply_chain") == ["C"]
    assert names(industry="bearings") == ["A", "B"]  # general products serve every industry
    assert names(price_max_wan=10) == ["A", "B"]
    assert names(price_min_wan=50) == ["C"]
    assert names(deployment="saas") == ["B"]
    assert names(max_delivery_days=30) == ["A", "B"]
    assert names(scenario="visual_inspection", industry="chemicals") == ["C"]


def test_products_of_suspended_providers_are_not_listed(session, make):
    make.product(make.organisation("provider", state=OrgState.SUSPENDED), name="hidden")
    make.product(make.organisation("provider"), name="shown")
    assert ids(browse(session, filters=CatalogFilters())) == ["shown"]


def test_sorting_and_pagination(session, make):
    provider = make.organisation("provider")
    for price in (9, 3, 7, 1, 5):
        make.product(provider, name=f"p{price}", price_min_wan=price, price_max_wan=price + 1)
    first = browse(session, filters=CatalogFilters(), sort="price_asc", page=1, per_page=2)
    assert ids(first) == ["p1", "p3"] and first.total == 5 and first.pages == 3 and first.has_next
    last = browse(session, filters=CatalogFilters(), sort="price_asc", page=3, per_page=2)
    assert ids(last) == ["p9"] and not last.has_next
    beyond = browse(session, filters=CatalogFilters(), sort="price_asc", page=99, per_page=2)
    assert beyond.page == 3
    assert ids(browse(session, filters=CatalogFilters(), sort="price_desc", per_page=1)) == ["p9"]


def test_counting_stops_at_the_cap_and_says_there_are_more(session, make, monkeypatch):
    import catalog.queries

    monkeypatch.setattr(catalog.queries, "COUNT_CAP", 3)
    provider = make.organisation("provider")
    for n in range(5):
        make.product(provider, name=f"p{n}")
    page = browse(session, filters=CatalogFilters(), per_page=2, page=9)
    assert page.total == 3 and page.extra["more"] and page.pages == 2 and page.page == 2
    exact = browse(session, filters=CatalogFilters(scenario="visual_inspection", price_max_wan=1))
    assert exact.total == 0 and not exact.extra["more"]
