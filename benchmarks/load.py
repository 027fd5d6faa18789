"""Load on gunicorn (2 sync workers) over PostgreSQL with 100,000 products, measured with wrk on loopback.

Fills a throwaway database (benchmarks/synthetic.py products, an enterprise with a diagnosis and accepted
engagements; VACUUM ANALYZE as autovacuum would have), builds the embedded search index, starts gunicorn on a free
loopback port and runs wrk for a fixed time per route: /healthz (the trivial route every ratio is taken against,
measured in the same round), the catalogue list, a scenario filter, 800 catalogue URLs in turn (more than a worker's
page cache holds: what rendering costs), a search, the recommendations (signed in) and then review posting (each
request a distinct engagement and product, with the session cookie and a CSRF token). Every response is checked by
status (200; 302 to the engagement for a review); lock errors are counted in the server's log. Prints one table per
round and PASS/FAIL against the targets; the database is dropped and gunicorn killed at the end, on failure too.

    python benchmarks/load.py [--products 100000] [--seconds 15] [--connections 4] [--rounds 2]
        [--only review recommendations ...]

``--only`` runs just the routes whose label holds one of the words (the trivial route always runs: every ratio
is taken against it), so one phase can be measured without the others.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from benchmarks.catalog_page import fill  # noqa: E402
from benchmarks.serving import (  # noqa: E402
    USER_AGENT,
    SignedIn,
    WrkResult,
    gunicorn,
    run_wrk,
    seed_enterprise,
    sign_in,
    throwaway_database,
)
from marketplace.db import make_engine  # noqa: E402
from marketplace.migrate import upgrade  # noqa: E402
from search.embedded import EmbeddedSearch  # noqa: E402
from search.sync import rebuild  # noqa: E402

PAGES = {
    "catalogue list": "/products",
    "catalogue, scenario": "/products?scenario=energy_management",
    "catalogue, 800 URLs": "/products",
    "search": "/search?q=" + urllib.parse.quote("视觉质检"),
    "recommendations": "/workspace/recommendations",
}
SIGNED_IN = {"recommendations"}
ROTATING = {"catalogue, 800 URLs"}
RATIO_TARGET, P99_TARGET_MS, REVIEWS_TARGET = 0.30, 50.0, 150.0
LOCK_ERRORS = re.compile(
    r"database is locked|deadlock detected|could not serialize|lock timeout|LockNotAvailable", re.I
)

GET_SCRIPT = """
local threads, next_id = {}, 0
function setup(thread) thread:set("id", next_id); next_id = next_id + 1; table.insert(threads, thread) end
function init(args)
  bad = 0
  wrk.headers["User-Agent"] = %(agent)s
  %(cookie)s
end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
%(request)s
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("LUA bad=%%d\\n", total))
end
"""

# Catalogue pages in turn, 4 sorts x 200 pages: more than a worker's page cache holds, so each one is rendered.
ROTATE = """
local sorts, sent = {"newest", "price_asc", "price_desc", "delivery"}, 0
function request()
  sent = sent + 1
  local n = id + sent * %(threads)d
  return wrk.format("GET", "/products?sort=" .. sorts[n %% 4 + 1] .. "&page=" .. (math.floor(n / 4) %% 200 + 1))
end
"""

POST_SCRIPT = """
local threads, next_id = {}, 0
function setup(thread) thread:set("id", next_id); next_id = next_id + 1; table.insert(threads, thread) end
function init(args)
  bad, exhausted, sent, mine = 0, 0, 0, {}
  local n = 0
  for line in io.lines(%(pairs)s) do
    if n %% %(threads)d == id then table.insert(mine, line) end
    n = n + 1
  end
end
function request()
  sent = sent + 1
  local pair = mine[sent]
  if pair == nil then exhausted = exhausted + 1; return wrk.format("GET", "/healthz") end
  local engagement, product = pair:match("(%%d+) (%%d+)")
  return wrk.format("POST", "/engagements/" .. engagement .. "/reviews", {
    ["Cookie"] = %(cookie)s, ["User-Agent"] = %(agent)s,
    ["Content-Type"] = "application/x-www-form-urlencoded"},
    %(body)s .. "&product_id=" .. product)
end
function response(status, headers, body)
  if status ~= 302 or not string.find(headers["Location"] or "", "/engagements/", 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total, out = 0, 0
  for _, t in ipairs(threads) do total = total + t:get("bad"); out = out + t:get("exhausted") end
  io.write(string.format("LUA bad=%%d exhausted=%%d\\n", total + out, out))
end
"""


def prepare(url: str, products: int, pairs: int, workdir: Path) -> list[tuple[int, int]]:
    """Schema, products, the enterprise and its engagements, and the search index; prints what it took."""
    started = time.perf_counter()
    upgrade(url)
    seconds = fill(url, products)
    found = seed_enterprise(url, pairs=pairs)
    engine = make_engine(url)
    # A production server's autovacuum would have run by now (this one may have it off): visibility map and
    # statistics as in steady state, so index-only scans are chosen as they would be.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    indexed = time.perf_counter()
    with Session(engine) as session:
        count = rebuild(session, EmbeddedSearch(str(workdir / "search.db")))
        session.commit()
    engine.dispose()
    print(
        f"setup: {products} products in {seconds:.0f} s, {len(found)} reviewable pairs, search index of "
        f"{count} in {time.perf_counter() - indexed:.0f} s; {time.perf_counter() - started:.0f} s in all"
    )
    return found


def lua(value: str) -> str:
    """A Lua string literal (the values are ASCII, where JSON's escapes are Lua's)."""
    return json.dumps(value, ensure_ascii=True)


def get_script(workdir: Path, signed: SignedIn | None, *, rotate: bool = False, threads: int = 2) -> Path:
    """The Lua script of a GET phase (with the session cookie when signed in; 800 URLs in turn if ``rotate``)."""
    cookie = f'wrk.headers["Cookie"] = {lua(signed.cookie)}' if signed else ""
    path = workdir / f"get_{bool(signed)}_{rotate}.lua"
    request = ROTATE % {"threads": threads} if rotate else ""
    path.write_text(GET_SCRIPT % {"agent": lua(USER_AGENT), "cookie": cookie, "request": request})
    return path


def post_script(workdir: Path, signed: SignedIn, pairs: list[tuple[int, int]], threads: int) -> Path:
    """The Lua script of a review round: this round's pairs, split between wrk's threads."""
    listing = workdir / "pairs.txt"
    listing.write_text("".join(f"{e} {p}\n" for e, p in pairs))
    body = urllib.parse.urlencode(
        {
            "csrf_token": signed.csrf,
            "effect": 4,
            "delivery": 4,
            "cost": 3,
            "service": 5,
            "recommend": 8,
            "text": "上线后漏检明显减少，服务响应及时。",
        }
    )
    path = workdir / "post.lua"
    path.write_text(
        POST_SCRIPT
        % {
            "pairs": lua(str(listing)),
            "threads": threads,
            "cookie": lua(signed.cookie),
            "agent": lua(USER_AGENT),
            "body": lua(body),
        }
    )
    return path


def chosen(label: str, only: list[str] | None) -> bool:
    """True when the route runs in this measurement (all of them without ``--only``)."""
    return only is None or label == "trivial /healthz" or any(word in label for word in only)


def warm_up(base: str, signed: SignedIn, only: list[str] | None, requests: int = 6) -> None:
    """Each page a few times, so both workers built their matcher, search backend and templates. The
    recommendations always: every worker builds its matcher as it starts, and a figure taken during that build
    measures the build."""
    for label, path in PAGES.items():
        if not chosen(label, only) and label not in SIGNED_IN:
            continue
        for _ in range(requests):
            request = urllib.request.Request(base + path, headers={"User-Agent": USER_AGENT})
            if path == PAGES["recommendations"]:
                request.add_header("Cookie", signed.cookie)
            with urllib.request.urlopen(request, timeout=300) as response:
                assert response.status == 200 and response.url.endswith(path), path


def review_outcome(url: str) -> str:
    """What became of the posted reviews: counted in ratings at once, or held for staff by a flag."""
    with Session(make_engine(url)) as session:
        stored, held, rated = session.exec(  # type: ignore[call-overload]
            text(
                "SELECT (SELECT count(*) FROM review), (SELECT count(*) FROM review WHERE held),"
                " (SELECT count(*) FROM product WHERE review_count > 0)"
            )
        ).one()
    return f"reviews stored: {stored} ({stored - held} counted at once, {held} held); products now rated: {rated}"


def verdict(label: str, result: WrkResult, trivial: WrkResult, lock_errors: int) -> str:
    """PASS or FAIL against the issue's targets."""
    if label == "trivial /healthz":
        return "-" if result.errors == 0 else "FAIL"
    if label == "review posting":
        ok = result.rps >= REVIEWS_TARGET and result.errors == 0 and lock_errors == 0
    else:
        ok = (
            result.rps >= RATIO_TARGET * trivial.rps and result.p99_ms <= P99_TARGET_MS and result.errors == 0
        )
    return "PASS" if ok else "FAIL"


def print_table(title: str, rows: list[tuple[str, WrkResult]], trivial: WrkResult, lock_errors: int) -> None:
    """One round's figures."""
    print(f"\n{title}")
    print(
        f"{'route':<24}{'rps':>9}{'x trivial':>11}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'errors':>8}  target"
    )
    for label, result in rows:
        print(
            f"{label:<24}{result.rps:>9.1f}{result.rps / trivial.rps:>11.2f}{result.p50_ms:>9.1f}"
            f"{result.p99_ms:>9.1f}{result.requests:>10}{result.errors:>8}  "
            f"{verdict(label, result, trivial, lock_errors)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=0, help="reviewable pairs (default: enough for 600/s)")
    parser.add_argument("--only", nargs="+", metavar="WORD", help="only routes whose label holds a word")
    args = parser.parse_args()
    wrk = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp, throwaway_database() as url:
        workdir = Path(tmp)
        pairs = prepare(url, args.products, args.pairs or 600 * args.seconds * args.rounds, workdir)
        with gunicorn(url, workdir) as server:
            signed = sign_in(server.base)
            warm_up(server.base, signed, args.only)
            rounds: list[tuple[float, list[tuple[str, WrkResult]]]] = []
            for _ in range(args.rounds):
                load = os.getloadavg()[0]
                rows = [
                    ("trivial /healthz", run_wrk(server.base + "/healthz", get_script(workdir, None), **wrk))
                ]
                for label, path in PAGES.items():
                    if not chosen(label, args.only):
                        continue
                    script = get_script(
                        workdir,
                        signed if label in SIGNED_IN else None,
                        rotate=label in ROTATING,
                        threads=args.threads,
                    )
                    rows.append((label, run_wrk(server.base + path, script, **wrk)))
                rounds.append((load, rows))
            # Reviews last: each one moves the catalogue version, which makes the matcher rebuild.
            share, locks = len(pairs) // args.rounds, []
            for number, (_load, rows) in enumerate(rounds):
                if not chosen("review posting", args.only):
                    locks.append(0)
                    continue
                before = len(LOCK_ERRORS.findall(server.log_text()))
                script = post_script(
                    workdir, signed, pairs[number * share : (number + 1) * share], args.threads
                )
                rows.append(("review posting", run_wrk(server.base + "/", script, **wrk)))
                locks.append(len(LOCK_ERRORS.findall(server.log_text())) - before)
            unhandled = server.log_text().count("unhandled error")
        for number, ((load, rows), lock_errors) in enumerate(zip(rounds, locks, strict=True), start=1):
            print_table(
                f"round {number}: wrk -t{args.threads} -c{args.connections} -d{args.seconds}s per route, "
                f"load average {load:.2f} at its start; lock errors while posting reviews: {lock_errors}",
                rows,
                rows[0][1],
                lock_errors,
            )
        print(f"\nunhandled errors in the server log: {unhandled}")
        if chosen("review posting", args.only):
            print(review_outcome(url))
        print(
            f"targets: pages >= {RATIO_TARGET} x trivial rps, p99 <= {P99_TARGET_MS:.0f} ms, 0 errors; "
            f"reviews >= {REVIEWS_TARGET:.0f}/s, 0 errors, 0 lock errors"
        )


if __name__ == "__main__":
    main()
