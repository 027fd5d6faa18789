"""The catalogue interchange format (JSON Lines): import by upsert on external ids, and export.

Import is idempotent: a line whose content equals what is stored changes nothing. A bad line is reported with its
number and reason and skipped; the good lines are imported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlmodel import Session, col, select

from catalog import outbox
from catalog.errors import Invalid
from catalog.models import Organisation, OrgKind, OrgState, Product, ProductState, pk, utcnow
from catalog.products import apply_spec, current_spec, refresh_listed
from catalog.queries import products_with_providers
from catalog.validation import ProductSpec, validate_product

EXTERNAL_ID_MAX = 40


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    providers_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.providers_created


def _parse(line: str) -> tuple[dict[str, Any], dict[str, str], ProductSpec]:
    """The row, its provider and its validated content; Invalid naming every bad field of the line."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise Invalid(
            {"json": f"不是有效的 JSON / not valid JSON ({error.msg}, column {error.colno})"}
        ) from None
    if not isinstance(row, dict):
        raise Invalid({"json": "每行应为一个对象 / each line must be a JSON object"})
    provider = row.get("provider")
    errors = {}
    for name, value in (
        ("id", row.get("id")),
        ("provider.id", (provider or {}).get("id") if isinstance(provider, dict) else None),
    ):
        if not isinstance(value, str) or not value.strip() or len(value) > EXTERNAL_ID_MAX:
            errors[name] = (
                f"需要 1-{EXTERNAL_ID_MAX} 个字符的编号 / an id of 1-{EXTERNAL_ID_MAX} characters is required"
            )
    if isinstance(provider, dict) and not str(provider.get("name") or "").strip():
        errors["provider.name"] = "必填 / is required"
    spec = None
    try:
        spec = validate_product(row)
    except Invalid as invalid:
        errors.update(invalid.errors)
    if errors or spec is None or not isinstance(provider, dict):
        raise Invalid(errors or {"provider": "需要服务商对象 / a provider object is required"})
    return row, provider, spec


def _upsert_provider(session: Session, provider: dict[str, str], report: ImportReport) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.external_id == provider["id"])).first()
    if org is None:
        org = Organisation(
            kind=OrgKind.PROVIDER,
            state=OrgState.APPROVED,
            external_id=provider["id"],
            name=provider["name"].strip()[:120],
            city=str(provider.get("city") or "")[:40],
        )
        session.add(org)
        session.flush()
        report.providers_created += 1
    elif org.kind != OrgKind.PROVIDER:
        raise Invalid(
            {"provider.id": "该编号属于非服务商机构 / this id belongs to a non-provider organisation"}
        )
    return org


def _same(product: Product, spec: ProductSpec) -> bool:
    return current_spec(product) == spec and product.state == ProductState.PUBLISHED


def import_line(session: Session, line: str, report: ImportReport) -> None:
    """Upsert one product line (and its provider); Invalid when the line is bad."""
    row, provider_row, spec = _parse(line)
    provider = _upsert_provider(session, provider_row, report)
    product = session.exec(select(Product).where(Product.external_id == row["id"])).first()
    if product is not None and product.provider_id != provider.id:
        raise Invalid({"provider.id": "产品已属于另一服务商 / the product belongs to another provider"})
    if product is not None and _same(product, spec):
        report.unchanged += 1
        return
    if product is None:
        product = Product(
            external_id=row["id"],
            provider_id=pk(provider),
            primary_scenario=spec.scenarios[0],
            name=spec.name,
            price_min_wan=spec.price_min_wan,
            price_max_wan=spec.price_max_wan,
            deployment=spec.deployment,
            delivery_days=spec.delivery_days,
        )
        session.add(product)
        session.flush()
        report.created += 1
    else:
        report.updated += 1
    apply_spec(session, product=product, spec=spec)
    product.state = ProductState.PUBLISHED
    refresh_listed(product, provider)
    product.published_at = product.published_at or utcnow()
    session.add(product)
    outbox.enqueue(session, product_ids=[product.id])  # type: ignore[list-item]


def import_catalog(
    session: Session, lines: Iterable[str], *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Import every line in its own savepoint, so one bad line never spoils the others."""
    report = ImportReport()
    for number, line in enumerate(lines, start=1):
        if progress:
            progress(1)
        if not line.strip():
            continue
        try:
            with session.begin_nested():
                import_line(session, line, report)
        except Invalid as error:
            report.errors.append((number, "; ".join(f"{k}: {v}" for k, v in error.errors.items())))
    return report


def product_row(product: Product, provider: Organisation) -> dict[str, Any]:
    """A product in the interchange format."""
    return {
        "id": product.external_id,
        "provider": {
            "id": provider.external_id or f"ORG{provider.id}",
            "name": provider.name,
            "city": provider.city,
        },
        "name": product.name,
        "summary": product.summary,
        "description": product.description,
        "scenarios": list(product.scenarios),
        "industries": list(product.industries),
        "price_min_wan": product.price_min_wan,
        "price_max_wan": product.price_max_wan,
        "deployment": product.deployment,
        "delivery_days": product.delivery_days,
        "language": product.language,
    }


def export_catalog(session: Session, out: TextIO, *, batch: int = 1000) -> int:
    """Write every published product as one JSON line; returns how many."""
    count = 0
    published = col(Product.state) == ProductState.PUBLISHED
    for product, provider in products_with_providers(session, where=published, batch=batch):
        out.write(json.dumps(product_row(product, provider), ensure_ascii=False) + "\n")
        count += 1
    return count
