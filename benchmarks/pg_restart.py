"""PostgreSQL restarted under load: errors only while it is down, then every request succeeds again by itself.

gunicorn (2 sync workers) serves a throwaway database of 5,000 products; reader threads request the catalogue list
(a page of the newest products and a page chosen per request, so both the page cache and the database answer) and
one writer thread posts reviews (each a distinct engagement and product, signed in once up front). At --restart-at
seconds PostgreSQL is restarted with pg_ctlcluster. Prints successes and errors per second, the window in which
errors happened, whether every request after it succeeded and whether the app's processes are the same ones.

    python benchmarks/pg_restart.py [--seconds 60] [--restart-at 20] [--readers 3] [--writes-per-second 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.catalog_page import fill  # noqa: E402
from benchmarks.serving import USER_AGENT, SignedIn, gunicorn, seed_enterprise, sign_in, throwaway_database  # noqa: E402
from marketplace.migrate import upgrade  # noqa: E402


def restart_command() -> list[str]:
    """pg_ctlcluster for the one cluster this machine has."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]


class Tally:
    """Outcomes per second since the start, from every thread."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.ok: Counter[int] = Counter()
        self.failed: Counter[int] = Counter()
        self.kinds: Counter[str] = Counter()
        self._lock = threading.Lock()

    def record(self, at: float, error: str | None) -> None:
        """One finished request (``error`` None when it succeeded)."""
        second = int(at - self.started)
        with self._lock:
            if error is None:
                self.ok[second] += 1
            else:
                self.failed[second] += 1
                self.kinds[error] += 1


def _fetch(request: urllib.request.Request, expect: str) -> str | None:
    """None when the answer is the expected one, otherwise what went wrong."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return None if expect == "200" and response.status == 200 else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        if expect == "302" and error.code == 302 and "/engagements/" in location:
            return None
        return f"HTTP {error.code}"
    except OSError as error:
        return type(error).__name__


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def reader(base: str, tally: Tally, until: float, number: int) -> None:
    """The catalogue list: the first page and a page that differs per request."""
    count = 0
    while time.monotonic() < until:
        count += 1
        path = "/products" if count % 2 else f"/products?page={(count * 7 + number) % 200 + 1}"
        request = urllib.request.Request(base + path, headers={"User-Agent": USER_AGENT})
        tally.record(time.monotonic(), _fetch(request, "200"))


def writer(
    base: str, tally: Tally, until: float, signed: SignedIn, pairs: list[tuple[int, int]], rate: float
) -> None:
    """Review posting at a steady rate, each review a new engagement and product."""
    for engagement, product in pairs:
        started = time.monotonic()
        if started >= until:
            return
        body = urllib.parse.urlencode(
            {
                "csrf_token": signed.csrf,
                "product_id": product,
                "effect": 4,
                "delivery": 4,
                "cost": 4,
                "service": 5,
                "recommend": 9,
                "text": "交付准时。",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/engagements/{engagement}/reviews",
            data=body,
            headers={"User-Agent": USER_AGENT, "Cookie": signed.cookie},
        )
        tally.record(time.monotonic(), _fetch(request, "302"))
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))


def app_pids(root: int) -> set[int]:
    """Every process under the one started (gunicorn's master and its workers)."""
    found: set[int] = set()
    parents = [root]
    while parents:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", ",".join(map(str, parents))], capture_output=True, text=True
        ).stdout
        parents = [int(pid) for pid in out.split()]
        found.update(parents)
    return found


def report(tally: Tally, seconds: int, restart_at: float, restart_took: float, same_processes: bool) -> None:
    """Per-second table and the verdict."""
    print(f"{'second':>6}{'ok':>6}{'errors':>8}")
    for second in range(seconds):
        marker = "  <- restart" if second == int(restart_at) else ""
        print(f"{second:>6}{tally.ok[second]:>6}{tally.failed[second]:>8}{marker}")
    failing = sorted(tally.failed)
    print(f"restart issued at {restart_at:.1f} s, pg_ctlcluster returned after {restart_took:.1f} s")
    if not failing:
        print("no errors at all")
        window_end = int(restart_at)
    else:
        window_end = failing[-1]
        print(f"errors from second {failing[0]} to second {window_end}: {dict(tally.kinds)}")
    after = [s for s in range(window_end + 1, seconds) if tally.ok[s] or tally.failed[s]]
    clean = bool(after) and all(tally.failed[s] == 0 and tally.ok[s] > 0 for s in after)
    inside = all(restart_at - 1 <= s <= restart_at + restart_took + 5 for s in failing)
    print(f"errors only around the restart: {'yes' if inside else 'NO'}")
    print(
        f"100% success after second {window_end} ({len(after)} s, {sum(tally.ok[s] for s in after)} requests): "
        f"{'yes' if clean else 'NO'}; same gunicorn master and workers throughout: "
        f"{'yes' if same_processes else 'NO'}"
    )
    print(f"verdict: {'PASS' if clean and inside and same_processes else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--restart-at", type=float, default=20.0)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--writes-per-second", type=float, default=10.0)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="pg-restart-") as tmp, throwaway_database() as url:
        upgrade(url)
        fill(url, args.products)
        pairs = seed_enterprise(url, pairs=int(args.seconds * args.writes_per_second) + 10)
        with gunicorn(url, Path(tmp)) as server:
            signed = sign_in(server.base)
            before = app_pids(server.process.pid)
            started = time.monotonic()
            until = started + args.seconds
            tally = Tally(started)
            threads = [
                threading.Thread(target=reader, args=(server.base, tally, until, n))
                for n in range(args.readers)
            ]
            threads.append(
                threading.Thread(
                    target=writer, args=(server.base, tally, until, signed, pairs, args.writes_per_second)
                )
            )
            for thread in threads:
                thread.start()
            time.sleep(max(0.0, started + args.restart_at - time.monotonic()))
            restart_at = time.monotonic() - started
            subprocess.run(restart_command(), check=True, timeout=120)
            restart_took = time.monotonic() - started - restart_at
            for thread in threads:
                thread.join()
            same = server.process.poll() is None and app_pids(server.process.pid) == before
        print(f"gunicorn processes {sorted(before)}; load average {os.getloadavg()[0]:.2f} at end")
        report(tally, args.seconds, restart_at, restart_took, same)


if __name__ == "__main__":
    main()
