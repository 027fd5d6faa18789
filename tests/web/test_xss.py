"""Free text from users is always rendered as text: 200 payloads in listings, profiles, diagnoses and notes."""

from html.parser import HTMLParser

from sqlmodel import select

from catalog.models import ShortlistItem
from tests.conftest import Auth
from tests.xss_payloads import payloads, seed_payload_catalogue

FORBIDDEN_TAGS = {"img", "iframe", "svg", "object", "math", "base", "video", "source", "style", "embed"}


class Injected(HTMLParser):
    """Collects what only user markup could have put into one of our pages: event handlers, javascript: URLs,
    scripts without a same-origin src, and elements our templates never use."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.bodies = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src") or ""
        self.bodies += tag == "body"
        if tag in FORBIDDEN_TAGS or (tag == "script" and not src.startswith("/")):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def injected(html: str) -> list[str]:
    """Markup in the page that did not come from our templates."""
    parser = Injected()
    parser.feed(html)
    return parser.found + (["a second <body>"] if parser.bodies > 1 else [])


def test_the_detector_sees_raw_payloads_and_not_escaped_ones():
    from markupsafe import escape

    # URL-encoded and "<scr<script>" vectors do not run even raw: a browser parses them as text or a bogus tag.
    raw = [p for p in payloads(200) if "%3C" not in p and "<scr<" not in p]
    assert all(injected(f"<body>{p}</body>") for p in raw)
    assert not any(injected(f"<body>{escape(p)}</body>") for p in payloads(200))


def test_payloads_in_listings_render_escaped_everywhere(app, client, make):
    provider, products = seed_payload_catalogue(app, make)
    pages = [
        "/",
        "/products",
        f"/providers/{provider.id}",
        "/search?q=script",
        "/search?q=视觉质检",
        "/search?q=alert",
        *[f"/products/{p.id}" for p in products],
    ]
    for path in pages:
        assert injected(client.get(path).get_data(as_text=True)) == [], path


def test_payloads_in_diagnosis_and_notes_render_escaped(app, make, session):
    firm = Auth(app.test_client())
    firm.login(make.user("enterprise").email)
    texts = payloads(20)
    firm.post(
        "/workspace/diagnosis",
        {"findings": "\n".join(texts[:10]), "plan": texts[10]},
        form_page="/workspace/diagnosis",
    )
    product = make.product()
    firm.post("/workspace/shortlist/add", {"product_id": str(product.id)}, form_page="/workspace/")
    item = session.exec(select(ShortlistItem)).one()
    firm.post(f"/workspace/shortlist/{item.id}/note", {"note": texts[11]}, form_page="/workspace/shortlist")
    for path in (
        "/workspace/diagnosis",
        "/workspace/shortlist",
        f"/workspace/compare?item={item.id}",
        "/workspace/recommendations",
    ):
        assert injected(firm.client.get(path).get_data(as_text=True)) == [], path
