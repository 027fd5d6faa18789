"""Cross-site scripting payloads for the escaping tests: classic vectors, each in several wrappings."""

from __future__ import annotations

VECTORS = (
    "<script>alert({n})</script>",
    "<img src=x onerror=alert({n})>",
    "<svg onload=alert({n})>",
    '"><script>alert({n})</script>',
    "'><img src=x onerror=alert({n})>",
    '<a href="javascript:alert({n})">x</a>',
    "<iframe src=javascript:alert({n})>",
    "<body onload=alert({n})>",
    "<details open ontoggle=alert({n})>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({n})>",
    "</textarea><script>alert({n})</script>",
    "<mark onmouseover=alert({n})>hover</mark>",
    "{{{{7*7}}}}<script>alert({n})</script>",
    "<scr<script>ipt>alert({n})</script>",
    "<input autofocus onfocus=alert({n})>",
    "<video><source onerror=alert({n})>",
    "<object data=javascript:alert({n})>",
    "<style>@import 'javascript:alert({n})';</style>",
    "<base href=javascript:alert({n})//>",
    "%3Cscript%3Ealert({n})%3C/script%3E",
)
WRAPPINGS = (
    "{v}",
    "视觉质检{v}",
    "{v} energy",
    "能耗<b>{v}</b>",
    "{v}{v}",
    "“{v}”",
    "WMS {v} 仓储",
    "\n{v}\n",
    "{v}<!--",
    "x{v}y",
)


def payloads(count: int = 200) -> list[str]:
    """``count`` distinct payloads, numbered so a fired one names itself."""
    out = []
    for n in range(count):
        vector = VECTORS[n % len(VECTORS)].format(n=n)
        out.append(WRAPPINGS[(n // len(VECTORS)) % len(WRAPPINGS)].format(v=vector))
    return out


def seed_payload_catalogue(app, make):  # type: ignore[no-untyped-def]
    """A provider and 50 listed products whose every text field carries payloads, indexed for search."""
    from catalog import outbox
    from marketplace import search_service

    texts = payloads(200)
    provider = make.organisation("provider", name=texts[0][:120], introduction=texts[2])
    products = [
        make.product(
            provider,
            name=texts[n][:120],
            summary=texts[n + 1][:60],
            description="\n".join(texts[n + 2 : n + 4]),
        )
        for n in range(0, 200, 4)
    ]
    outbox.enqueue(make.session, product_ids=[p.id for p in products])
    make.session.commit()
    search_service.sync_once(app)
    return provider, products
