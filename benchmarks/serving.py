"""What the load benchmarks share: a throwaway PostgreSQL database, gunicorn on a free loopback port, a signed-in
session, the enterprise the workspace and review phases act as, and wrk with its output parsed.

Every process started here is killed when its ``with`` block ends, on failure too; every database is dropped.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from catalog import accounts  # noqa: E402
from catalog.models import Diagnosis, Engagement, EngagementProduct, Organisation  # noqa: E402
from catalog.uscc import make_code  # noqa: E402
from marketplace.db import make_engine  # noqa: E402

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-2024"
EMAIL = "bench-enterprise@example.cn"
USER_AGENT = "marketplace-bench"  # the same for sign-in and load: strong session protection hashes it
FINDINGS = (
    "成品出厂前外观全靠人工在灯下翻看，套圈端面磕碰、划痕基本凭感觉，夜班漏检明显多。"
    "车间能耗没有分项计量，仓库靠纸质台账。客户因锈斑批量退货。"
)


@contextmanager
def throwaway_database(server: str = PG_SERVER) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server, dropped afterwards (like the PostgreSQL test runs)."""
    import psycopg

    name = f"mkt_bench_{uuid.uuid4().hex[:10]}"
    url = make_url(server)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        for attempt in range(30):  # the server may be restarting (pg_restart.py)
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.OperationalError:
                if attempt == 29:
                    raise
                time.sleep(1)


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    log: Path
    process: subprocess.Popen = field(repr=False)

    def log_text(self) -> str:
        """What gunicorn and the app wrote to standard error so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def gunicorn(
    database_url: str, workdir: Path, *, workers: int = 2, timeout_s: int = 120, lifetime_s: int = 1800
) -> Iterator[Server]:
    """gunicorn with ``workers`` sync workers on a free loopback port, as `marketplace serve` runs it (without
    its access log). Killed at the end of the block, and by ``timeout`` after ``lifetime_s`` in any case."""
    port = free_port()
    log = workdir / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-key",
        "SEARCH_INDEX_PATH": str(workdir / "search.db"),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        "timeout",
        "--signal=KILL",
        str(lifetime_s),
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        str(timeout_s),
        "marketplace.wsgi:app",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", log, process)
    try:
        _wait_until_up(server, deadline_s=60)
        yield server
    finally:
        _stop(process)


def _wait_until_up(server: Server, *, deadline_s: float) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within the deadline")


def _stop(process: subprocess.Popen) -> None:
    """TERM, then KILL, to the process group this module started (gunicorn's master and its workers)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def seed_enterprise(database_url: str, *, pairs: int, per_engagement: int = 5) -> list[tuple[int, int]]:
    """One enterprise (user EMAIL, a diagnosis) with accepted engagements that delivered ``pairs`` products in
    all, each engagement a few products of one provider; returns the (engagement id, product id) pairs."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        # fill() inserts providers with explicit ids and leaves their sequence behind.
        session.exec(text("SELECT setval('organisation_id_seq', (SELECT max(id) FROM organisation))"))  # type: ignore[call-overload]
        enterprise = Organisation(
            kind="enterprise", name="洛阳压测轴承有限公司", uscc=make_code(9_000_001), industry="bearings"
        )
        session.add(enterprise)
        session.flush()
        user = accounts.add_user(session, organisation=enterprise, email=EMAIL, password=PASSWORD)
        # A month-old account, as a pilot enterprise's is: its reviews count at once (no "new account" hold),
        # so review posting measures the whole path, rating refresh and search outbox included.
        user.created_at -= timedelta(days=30)
        session.add(
            Diagnosis(
                enterprise_id=enterprise.id,
                findings=FINDINGS,
                target_scenarios=["visual_inspection"],
                solved_scenarios=["erp_finance"],
                budget_wan=40,
            )
        )
        by_provider: dict[int, list[int]] = {}
        for product_id, provider_id in session.exec(  # type: ignore[call-overload]
            text("SELECT id, provider_id FROM product WHERE listed ORDER BY id")
        ).all():
            by_provider.setdefault(provider_id, []).append(product_id)
        chunks = [
            (provider_id, ids[start : start + per_engagement])
            for provider_id, ids in by_provider.items()
            for start in range(0, len(ids), per_engagement)
        ]
        chunks.sort(key=lambda chunk: chunk[1][0])
        taken: list[tuple[int, list[int]]] = []
        count = 0
        for chunk in chunks:
            if count >= pairs:
                break
            taken.append(chunk)
            count += len(chunk[1])
        engagements = [
            Engagement(
                enterprise_id=enterprise.id,
                provider_id=provider_id,
                state="accepted",
                accepted_on=date.today(),
                contract_wan=20,
                level_before=1,
                level_after=2,
            )
            for provider_id, _ids in taken
        ]
        session.add_all(engagements)
        session.flush()
        found = [
            (engagement.id, product_id)
            for engagement, (_p, ids) in zip(engagements, taken, strict=True)
            for product_id in ids
        ][:pairs]
        session.add_all(EngagementProduct(engagement_id=e, product_id=p) for e, p in found)
        session.commit()
    engine.dispose()
    return found  # type: ignore[return-value]


@dataclass
class SignedIn:
    cookie: str  # the Cookie header value
    csrf: str  # a CSRF token bound to that session


def sign_in(base: str, *, email: str = EMAIL, password: str = PASSWORD) -> SignedIn:
    """Sign in once through the real form; the session cookie and a CSRF token of that session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]

    def token(path: str) -> str:
        html = opener.open(base + path, timeout=60).read().decode()
        found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token("/login")})
    opener.open(base + "/login", body.encode(), timeout=60).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert "session=" in cookie, "sign-in failed"
    return SignedIn(cookie=cookie, csrf=token("/engagements/"))


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors + unexpected statuses
    detail: str


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT[unit]


def run_wrk(url: str, script: Path, *, seconds: int, connections: int, threads: int) -> WrkResult:
    """wrk for a fixed time with a Lua script that reports unexpected statuses as 'LUA bad=N'."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    try:
        return _parse(out)
    except (AttributeError, KeyError) as error:
        raise RuntimeError(f"unexpected wrk output for {url}:\n{out}") from error


def _parse(out: str) -> WrkResult:
    socket_errors = sum(
        int(n)
        for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out.split("Socket errors:")[-1])
        if "Socket errors:" in out
    )
    bad = int(re.search(r"LUA bad=(\d+)", out).group(1))  # type: ignore[union-attr]
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        errors=socket_errors + bad,
        detail=out,
    )
