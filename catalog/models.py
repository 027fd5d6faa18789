"""Tables of the marketplace's core: organisations, their users, products and the staff audit trail.

One family per entity (``XBase`` validated fields -> ``X`` table). Enterprise- and provider-specific columns live on
``Organisation`` (nullable) so staff filters by industry, county and batch stay plain indexed columns.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (SQLModel stores aware datetimes and reads them back in UTC)."""
    return datetime.now(UTC)


def pk(row: SQLModel) -> int:
    """The primary key of a flushed row (a row without one is a programming error)."""
    value = getattr(row, "id", None)
    if value is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return int(value)


def new_token() -> str:
    """A random session token: rotating it signs out every session of a user."""
    return secrets.token_urlsafe(24)


class OrgKind(StrEnum):
    ENTERPRISE = "enterprise"
    PROVIDER = "provider"
    STAFF = "staff"


class OrgState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"


class ProductState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class OrganisationBase(SQLModel):
    name: str = Field(max_length=120, index=True)
    uscc: str | None = Field(default=None, max_length=18, unique=True)
    contact_person: str = Field(default="", max_length=60)
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=254)
    # enterprise profile
    industry: str | None = Field(default=None, max_length=20, index=True)
    scale: str | None = Field(default=None, max_length=10)
    srdi: str | None = Field(default=None, max_length=20)
    county: str | None = Field(default=None, max_length=20, index=True)
    employees: int | None = Field(default=None, ge=0)
    digital_level: int | None = Field(default=None, ge=1, le=4)
    batch: int | None = Field(default=None, ge=1, le=3, index=True)
    on_cloud: bool = False  # 上云用云: core systems moved to the cloud (the plan counts all 460)
    smart_site: str | None = Field(default=None, max_length=12)  # catalog.taxonomy.SMART_SITES
    # provider profile
    introduction: str = Field(default="", max_length=4000)
    city: str = Field(default="", max_length=40)


class Organisation(OrganisationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12, index=True)
    state: str = Field(default=OrgState.APPROVED, max_length=12, index=True)
    external_id: str | None = Field(default=None, max_length=40, unique=True)
    service_counties: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    industries_served: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # Indexed: every catalogue, search and recommendations page reads the newest change (marketplace.page_cache).
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is a reserved word in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=200)
    name: str = Field(default="", max_length=60)
    phone: str = Field(default="", max_length=30)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(max_length=12)  # copied from the organisation: the role, fixed at creation
    session_token: str = Field(default_factory=new_token, max_length=64)
    is_active: bool = True
    locale: str | None = Field(default=None, max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class ProductBase(SQLModel):
    name: str = Field(max_length=120)
    summary: str = Field(default="", max_length=60)
    description: str = Field(default="", max_length=8000)
    price_min_wan: float = Field(ge=0)
    price_max_wan: float = Field(ge=0)
    deployment: str = Field(max_length=12)
    delivery_days: int = Field(ge=1, le=3650)
    language: str = Field(default="zh", max_length=2)


class Product(ProductBase, table=True):
    __table_args__ = (
        # Every public list filters on `listed` first, then sorts by one of these.
        Index("ix_product_listed_published", "listed", "published_at", "id"),
        Index("ix_product_listed_price_min", "listed", "price_min_wan", "id"),
        Index("ix_product_listed_price_max", "listed", "price_max_wan", "id"),
        Index("ix_product_listed_delivery", "listed", "delivery_days", "id"),
        Index("ix_product_listed_deployment", "listed", "deployment"),
        Index("ix_product_listed_rating", "listed", "rating", "id"),
        Index("ix_product_provider_state", "provider_id", "state"),
        Index("ix_product_state_updated", "state", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=40, unique=True)
    provider_id: int = Field(foreign_key="organisation.id")
    state: str = Field(default=ProductState.DRAFT, max_length=12)
    # Derived: published AND its provider approved. Kept by catalog.products.refresh_listed so public lists need
    # no join to the provider (the difference between ~20 ms and ~300 ms at 100,000 products).
    listed: bool = False
    primary_scenario: str = Field(max_length=40)
    scenarios: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reject_reason: str = Field(default="", max_length=500)
    # Derived from counted reviews by reviews.ratings.refresh_rating (search sorts and matching read them here).
    rating: float | None = None
    review_count: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class ProductScenario(SQLModel, table=True):
    """One row per (product, scenario tag): what the scenario and group filters join on."""

    __tablename__ = "product_scenario"
    __table_args__ = (
        Index("ix_product_scenario_scenario", "scenario", "product_id"),
        Index("ix_product_scenario_group", "scenario_group", "product_id"),
    )

    product_id: int = Field(foreign_key="product.id", primary_key=True, ondelete="CASCADE")
    scenario: str = Field(max_length=40, primary_key=True)
    scenario_group: str = Field(max_length=20)
    position: int = 0  # 0 = the primary scenario


class ProductIndustry(SQLModel, table=True):
    """One row per (product, industry); a general product has the single row industry='general'."""

    __tablename__ = "product_industry"
    __table_args__ = (Index("ix_product_industry_industry", "industry", "product_id"),)

    product_id: int = Field(foreign_key="product.id", primary_key=True, ondelete="CASCADE")
    industry: str = Field(max_length=20, primary_key=True)


class AuditEvent(SQLModel, table=True):
    """Append-only log of staff and system decisions; each entry's hash covers the previous one."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor_label: str = Field(default="", max_length=120)
    action: str = Field(max_length=60, index=True)
    subject_type: str = Field(max_length=30)
    subject_id: str = Field(max_length=40)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(max_length=64)


class LoginFailure(SQLModel, table=True):
    """Failed sign-ins, counted in the database so the limit holds across workers."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_email_at", "email", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    at: datetime = Field(default_factory=utcnow)
    ip: str = Field(default="", max_length=64)


class SearchOutbox(SQLModel, table=True):
    """A product whose search document must be refreshed: written in the same transaction as the product."""

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_pending", "done_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = None
    last_error: str = Field(default="", max_length=500)


class Diagnosis(SQLModel, table=True):
    """An enterprise's diagnosis (诊断) and plan (一企一策): findings, wanted scenarios, budget, what is in place.

    One current diagnosis per enterprise; staff and the provider it engaged may read it, nobody else.
    """

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="organisation.id", unique=True)
    findings: str = Field(default="", max_length=8000)
    plan: str = Field(default="", max_length=8000)
    target_scenarios: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    solved_scenarios: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    budget_wan: float | None = Field(default=None, ge=0)
    preferred_deployment: str | None = Field(default=None, max_length=12)
    scene_levels: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    filed_by_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    updated_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ShortlistItem(SQLModel, table=True):
    """A product an enterprise saved to compare, with its own note."""

    __tablename__ = "shortlist_item"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "product_id", name="uq_shortlist_enterprise_product"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="organisation.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    note: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)


class EngagementState(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Engagement(SQLModel, table=True):
    """One enterprise's file (一企一档) with one provider: request, report, plan, contract, milestones, acceptance."""

    __table_args__ = (
        Index("ix_engagement_enterprise_state", "enterprise_id", "state"),
        Index("ix_engagement_provider_state", "provider_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, max_length=40, unique=True)
    enterprise_id: int = Field(foreign_key="organisation.id")
    provider_id: int = Field(foreign_key="organisation.id")
    state: str = Field(default=EngagementState.REQUESTED, max_length=12, index=True)
    message: str = Field(default="", max_length=2000)
    decline_reason: str = Field(default="", max_length=500)
    diagnosis_report: str = Field(default="", max_length=8000)
    plan: str = Field(default="", max_length=8000)
    contract_wan: float | None = Field(default=None, ge=0)
    eligible_software_wan: float | None = Field(default=None, ge=0)
    eligible_cloud_wan: float | None = Field(default=None, ge=0)
    eligible_equipment_wan: float | None = Field(default=None, ge=0)
    level_before: int | None = Field(default=None, ge=0, le=4)
    level_after: int | None = Field(default=None, ge=0, le=4)
    eligible_spend_wan: float | None = Field(default=None, ge=0)  # actually incurred, at acceptance
    accepted_on: date | None = None
    documents: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EngagementProduct(SQLModel, table=True):
    """A product delivered in an engagement (what may be reviewed)."""

    __tablename__ = "engagement_product"

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True, ondelete="CASCADE")
    product_id: int = Field(foreign_key="product.id", primary_key=True)


class Milestone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    due_on: date | None = None
    progress: int = Field(default=0, ge=0, le=100)
    created_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    """A verified review of a product delivered in an accepted engagement: one per engagement and product."""

    __table_args__ = (
        UniqueConstraint("engagement_id", "product_id", name="uq_review_engagement_product"),
        Index("ix_review_product_created", "product_id", "created_at"),
        # the request path's check for other firms on one address close in time (reviews.arrival)
        Index("ix_review_ip_enterprise_created", "ip", "enterprise_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, max_length=40, unique=True)
    engagement_id: int = Field(foreign_key="engagement.id")
    product_id: int = Field(foreign_key="product.id")
    provider_id: int = Field(foreign_key="organisation.id", index=True)
    enterprise_id: int = Field(foreign_key="organisation.id")
    author_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    effect: int = Field(ge=1, le=5)
    delivery: int = Field(ge=1, le=5)
    cost: int = Field(ge=1, le=5)
    service: int = Field(ge=1, le=5)
    recommend: int = Field(ge=0, le=10)
    text: str = Field(default="", max_length=4000)
    # the text as near-copy detection compares it (reviews.duplicates.normalise), kept so a post can look for
    # copies among thousands of reviews without normalising each one again; unbounded: NFKC may lengthen text
    text_normalised: str = Field(default="", sa_type=Text)
    ip: str = Field(default="", max_length=64)
    author_created_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    # held: flagged as suspicious and kept out of every score until staff clear it
    held: bool = Field(default=False, index=True)
    flags: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hidden: bool = False
    hidden_reason: str = Field(default="", max_length=500)  # staff only
    reply: str = Field(default="", max_length=2000)  # the provider's public reply
    reply_at: datetime | None = None


class AwardDecision(SQLModel, table=True):
    """Staff marking an award candidate shortlisted (or not), with the reason and the score they saw."""

    __tablename__ = "award_decision"
    __table_args__ = (UniqueConstraint("kind", "candidate_id", name="uq_award_decision_candidate"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # provider | product
    candidate_id: int
    shortlisted: bool = True
    reason: str = Field(default="", max_length=1000)
    score: float = 0.0
    decided_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime = Field(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """Small editable settings kept as JSON (award weights, ...)."""

    key: str = Field(primary_key=True, max_length=60)
    value: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class SelfAssessment(SQLModel, table=True):
    """An enterprise's self-assessment against the 2024 indicators: one before transformation, one after."""

    __tablename__ = "self_assessment"
    __table_args__ = (UniqueConstraint("enterprise_id", "stage", name="uq_self_assessment_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="organisation.id", index=True)
    stage: str = Field(max_length=8)  # before | after
    items: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    scenes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    score: float = 0.0
    level: int = 0
    signed_by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow)
