"""How long a catalogue page takes with 100,000 published products (database query and page rendering).

Generates the products straight into a fresh database (SQLite file by default, or DATABASE_URL), then requests
catalogue pages through the app with typical filters and prints p50 / p95 per kind of page.

    python benchmarks/catalog_page.py [--products 100000] [--requests 40] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from benchmarks.page_timing import time_pages  # noqa: E402
from benchmarks.synthetic import synthetic_rows  # noqa: E402
from catalog.models import Organisation, Product, ProductIndustry, ProductScenario, utcnow  # noqa: E402
from catalog.taxonomy import load_taxonomy  # noqa: E402
from marketplace import create_app  # noqa: E402
from marketplace.db import make_engine  # noqa: E402
from marketplace.migrate import upgrade  # noqa: E402

PAGES = {
    "all, newest": "/products",
    "scenario": "/products?scenario=energy_management",
    "group + industry": "/products?group=production&industry=bearings",
    "price + deployment, cheapest": "/products?price_max=20&deployment=saas&sort=price_asc",
    "scenario + delivery, page 20": "/products?scenario=warehouse&delivery=60&page=20",
    "deep page 2000": "/products?page=2000",
}


def fill(url: str, count: int) -> float:
    """Insert ``count`` published products in bulk; returns the seconds it took."""
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    engine = make_engine(url)
    rows = list(synthetic_rows(count))
    providers = {row["provider"]["id"]: row["provider"] for row in rows}
    now = utcnow()
    with engine.begin() as conn:
        ids = {external: number for number, external in enumerate(providers, start=1)}
        conn.execute(
            insert(Organisation),
            [
                {
                    "id": ids[ext],
                    "kind": "provider",
                    "state": "approved",
                    "external_id": ext,
                    "name": p["name"],
                    "city": p["city"],
                    "contact_person": "",
                    "phone": "",
                    "email": "",
                    "introduction": "",
                    "service_counties": [],
                    "industries_served": [],
                    "created_at": now,
                    "updated_at": now,
                }
                for ext, p in providers.items()
            ],
        )
        for start in range(0, count, 5000):
            chunk = rows[start : start + 5000]
            conn.execute(
                insert(Product),
                [
                    {
                        "id": start + n + 1,
                        "external_id": r["id"],
                        "provider_id": ids[r["provider"]["id"]],
                        "state": "published",
                        "listed": True,
                        "name": r["name"],
                        "summary": r["summary"],
                        "description": r["description"],
                        "scenarios": r["scenarios"],
                        "industries": r["industries"],
                        "primary_scenario": r["scenarios"][0],
                        "price_min_wan": r["price_min_wan"],
                        "price_max_wan": r["price_max_wan"],
                        "deployment": r["deployment"],
                        "delivery_days": r["delivery_days"],
                        "language": "zh",
                        "reject_reason": "",
                        "created_at": now,
                        "updated_at": now,
                        "published_at": now,
                    }
                    for n, r in enumerate(chunk)
                ],
            )
            conn.execute(
                insert(ProductScenario),
                [
                    {
                        "product_id": start + n + 1,
                        "scenario": code,
                        "scenario_group": taxonomy.group_of(code),
                        "position": position,
                    }
                    for n, r in enumerate(chunk)
                    for position, code in enumerate(r["scenarios"])
                ],
            )
            conn.execute(
                insert(ProductIndustry),
                [
                    {"product_id": start + n + 1, "industry": industry}
                    for n, r in enumerate(chunk)
                    for industry in (r["industries"] or ["general"])
                ],
            )
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT setval('product_id_seq', (SELECT max(id) FROM product))")
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return time.perf_counter() - started


def measure(url: str, requests: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 in milliseconds per kind of page, after one warm-up request each."""
    # without the shared page cache: every request pays the query and the rendering, as for a page not yet asked for
    config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "PAGE_CACHE": False}
    app = create_app(config)
    client = app.test_client()
    return time_pages(client, PAGES, requests)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="catalog-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    upgrade(url)
    seconds = fill(url, args.products)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"database: {url.split('@')[-1].split('?')[0] if '@' in url else 'sqlite'}; "
        f"{args.products} products generated and inserted in {seconds:.1f} s"
    )
    print(f"{'catalogue page':<32}{'p50 ms':>9}{'p95 ms':>9}")
    for label, (p50, p95) in measure(url, args.requests).items():
        print(f"{label:<32}{p50:>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
