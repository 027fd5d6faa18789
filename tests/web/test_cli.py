"""The `marketplace` command as an operator uses it."""

import json
from pathlib import Path

from sqlmodel import func, select

from catalog.models import Product, User
from marketplace.cli import main

CATALOG = Path(__file__).resolve().parents[2] / "data" / "catalog.jsonl"


def run(app, *args):
    return app.test_cli_runner().invoke(main, list(args))


def test_import_twice_then_export(app, session, tmp_path):
    first = run(app, "import", "catalog", str(CATALOG))
    assert first.exit_code == 0, first.output
    assert "products created 170" in first.output and "providers created 53" in first.output
    second = run(app, "import", "catalog", str(CATALOG))
    assert "changes 0" in second.output and "unchanged 170" in second.output
    out = tmp_path / "export.jsonl"
    assert run(app, "export", "catalog", str(out)).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 170
    stdout = run(app, "export", "catalog")
    assert json.loads(stdout.stdout.splitlines()[0])["id"]


def test_a_file_with_broken_lines_names_each_line_and_exits_non_zero(app, session, tmp_path):
    good = CATALOG.read_text(encoding="utf-8").splitlines()[0]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        "\n".join([good, "{oops", json.dumps({"id": "Z", "provider": {"id": "S", "name": "n"}})]),
        encoding="utf-8",
    )
    result = run(app, "import", "catalog", str(bad))
    assert result.exit_code == 1
    assert "bad.jsonl:2:" in result.stderr and "bad.jsonl:3:" in result.stderr and "name" in result.stderr
    assert session.exec(select(func.count()).select_from(Product)).one() == 1


def test_staff_accounts_are_made_by_command(app, session):
    result = run(
        app, "user", "create-staff", "--email", "Chief@Bureau.gov.cn", "--password", "a-long-password"
    )
    assert result.exit_code == 0, result.output
    assert session.exec(select(User.kind).where(User.email == "chief@bureau.gov.cn")).one() == "staff"
    weak = run(app, "user", "create-staff", "--email", "x@bureau.gov.cn", "--password", "short")
    assert weak.exit_code == 2 and "password" in weak.stderr


def test_demo_prepares_accounts_for_every_role(app, session):
    result = run(app, "demo", "--no-serve", "--no-pilot")
    assert result.exit_code == 0, result.output
    for role in ("staff", "enterprise", "provider"):
        assert f"{role}@demo.luoyang" in result.output
    assert session.exec(select(func.count()).select_from(Product)).one() == 170


def test_audit_verify_detects_a_changed_entry(app, session, make):
    from sqlalchemy import text

    from catalog import audit

    staff = make.user("staff")
    for n in range(3):
        audit.record(
            session, actor=staff, action="provider.approved", subject_type="organisation", subject_id=n
        )
    session.commit()
    assert "intact: 3 entries" in run(app, "audit", "verify").output
    session.execute(text("UPDATE audit_event SET action = 'provider.suspended' WHERE id = 2"))
    session.commit()
    broken = run(app, "audit", "verify")
    assert broken.exit_code == 1 and "entry 2" in broken.stderr


def test_assess_level_prints_the_level_and_the_rule(app):
    scenes = "quality=2,energy=2,equipment=2,production_control=2,purchasing=2,finance=2"
    result = run(app, "assess", "level", "--score", "45", "--scenes", scenes)
    assert result.exit_code == 0 and json.loads(result.stdout)["level"] == 2
    below = json.loads(run(app, "assess", "level", "--score", "39.5", "--scenes", scenes).stdout)
    assert below["level"] == 1 and "39.5 < 40" in below["rule"]
    bad = run(app, "assess", "level", "--score", "45", "--scenes", "quality=9,nowhere=1")
    assert bad.exit_code == 2 and "quality" in bad.stderr
