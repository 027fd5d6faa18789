"""The web shell of the Luoyang SME digital-transformation marketplace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from marketplace import config, db, errors, security
from marketplace.extensions import babel, bootstrap, csrf, limiter, login_manager, select_locale

ROOT = Path(__file__).resolve().parent.parent


class BoundedInt(IntegerConverter):
    """The <int:...> converter limited to what a 32-bit database integer holds."""

    def __init__(
        self,
        url_map: Any,
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = 2_147_483_647,
        signed: bool = False,
    ) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config -> extensions -> blueprints -> search backend. No I/O beyond reading settings."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # Ids beyond a database integer are no ids at all: such URLs answer 404 instead of failing in the driver.
    app.url_map.converters["int"] = BoundedInt
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from marketplace import auth, catalog, discover, main, projects, provider, reports, staff, workspace
    from marketplace.api import views as api

    for blueprint in (
        main.bp,
        auth.bp,
        catalog.bp,
        discover.bp,
        projects.bp,
        provider.bp,
        reports.bp,
        staff.bp,
        workspace.bp,
        api.bp,
    ):
        app.register_blueprint(blueprint)
    from marketplace import cards, layout, templating

    templating.init_app(app)
    cards.init_app(app)
    layout.init_app(app)
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app
