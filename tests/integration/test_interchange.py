import io
import json
from pathlib import Path

from sqlmodel import func, select

from catalog.interchange import export_catalog, import_catalog
from catalog.models import Organisation, Product, ProductScenario

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_demo_catalogue_imports_completely_and_a_second_run_changes_nothing(session):
    lines = CATALOG.read_text(encoding="utf-8").splitlines()
    first = import_catalog(session, lines)
    session.commit()
    assert (first.created, first.providers_created, first.errors) == (170, 53, [])
    assert count(session, Product) == 170 and count(session, Organisation) == 53
    second = import_catalog(session, lines)
    assert second.changes == 0 and second.unchanged == 170


def test_bad_lines_are_reported_by_number_and_the_good_ones_imported(session):
    good = json.loads(CATALOG.read_text(encoding="utf-8").splitlines()[0])
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps({**good, "id": "B2", "price_min_wan": 30, "price_max_wan": 3}),
        "",
        json.dumps({**good, "id": "B3", "scenarios": ["teleportation"]}),
        json.dumps([1, 2]),
    ]
    report = import_catalog(session, lines)
    assert report.created == 1
    numbers = [number for number, _ in report.errors]
    assert numbers == [2, 3, 5, 6]
    assert "price_max_wan" in report.errors[1][1] and "teleportation" in report.errors[2][1]


def test_an_updated_line_updates_the_product_and_its_filter_rows(session):
    row = json.loads(CATALOG.read_text(encoding="utf-8").splitlines()[0])
    import_catalog(session, [json.dumps(row)])
    report = import_catalog(session, [json.dumps({**row, "scenarios": ["mes", "warehouse"], "name": "改名"})])
    assert report.updated == 1
    product = session.exec(select(Product).where(Product.external_id == row["id"])).one()
    assert product.name == "改名" and product.primary_scenario == "mes"
    tags = session.exec(
        select(ProductScenario.scenario).where(ProductScenario.product_id == product.id)
    ).all()
    assert sorted(tags) == ["mes", "warehouse"]


def test_export_writes_what_import_reads(session):
    lines = CATALOG.read_text(encoding="utf-8").splitlines()[:20]
    import_catalog(session, lines)
    out = io.StringIO()
    assert export_catalog(session, out, batch=7) == 20
    exported = {row["id"]: row for row in map(json.loads, out.getvalue().splitlines())}
    for original in map(json.loads, lines):
        mine = exported[original["id"]]
        assert mine["provider"]["id"] == original["provider"]["id"]
        for key in (
            "name",
            "summary",
            "scenarios",
            "industries",
            "price_min_wan",
            "deployment",
            "delivery_days",
        ):
            assert mine[key] == original[key]
    assert import_catalog(session, out.getvalue().splitlines()).changes == 0
