"""A server process builds its matching model as it starts, off the request path."""

from marketplace.matching_service import catalogue_version, warm_up


def test_warm_up_builds_the_model_for_the_current_catalogue(app, session, make):
    make.product(make.organisation("provider"), name="能耗监测平台", scenarios=["energy_management"])
    assert "matcher" not in app.extensions

    warm_up(app).join(timeout=60)

    model = app.extensions["matcher"]
    assert model.version == catalogue_version(session)
    assert len(model.matcher.listings) == 1
