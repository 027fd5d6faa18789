"""The pilot import reads cloud use and smart sites: optional, checked, and refused line by line when wrong."""

import json

from sqlmodel import select

from catalog.models import Organisation
from reviews.pilot_import import import_pilot

BASE = {
    "industry": "bearings",
    "scale": "above",
    "srdi": "none",
    "county": "jianxi",
    "digital_level": 1,
    "batch": 1,
}


def write(directory, enterprises):
    lines = [
        json.dumps({"id": f"E{n}", "name": f"企业{n}", **BASE, **extra})
        for n, extra in enumerate(enterprises)
    ]
    (directory / "enterprises.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "engagements.jsonl").write_text("", encoding="utf-8")
    (directory / "reviews.jsonl").write_text("", encoding="utf-8")


def test_cloud_and_smart_site_are_imported_and_checked(session, tmp_path):
    write(
        tmp_path,
        [
            {"on_cloud": True, "smart_site": "factory"},
            {},  # an older file without the two fields
            {"on_cloud": "yes"},
            {"smart_site": "farm"},
            {"on_cloud": False, "smart_site": None},
        ],
    )
    report = import_pilot(session, tmp_path)
    session.commit()

    stored = {o.external_id: (o.on_cloud, o.smart_site) for o in session.exec(select(Organisation)).all()}
    assert stored == {"E0": (True, "factory"), "E1": (False, None), "E4": (False, None)}
    assert report.errors == [
        "enterprises.jsonl:3: on_cloud: 应为 true 或 false / must be true or false",
        "enterprises.jsonl:4: smart_site: 应为 workshop、factory 或 null / must be workshop, factory or null",
    ]
