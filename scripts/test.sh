#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, checks style and types, then runs every test on
# SQLite and on PostgreSQL (TEST_PG_URL, default the local server with user postgres), browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium from Debian's packages for the browser tests (Playwright drives it; it never downloads a browser).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[test]'
PY="$VENV/bin/python"

echo "== ruff"; "$PY" -m ruff check .
echo "== mypy (domain packages)"; "$PY" -m mypy
echo "== pip-audit (known vulnerabilities in the installed dependencies)"; "$PY" scripts/audit.py

run_pytest() {
  # pytest exits 5 when it collected no test: that is a failure here, like any other non-zero exit.
  set +e; "$PY" -m pytest "$@"; local status=$?; set -e
  if [ "$status" -eq 5 ]; then echo "pytest collected no tests" >&2; fi
  return "$status"
}

echo "== tests on SQLite"
TEST_DATABASE=sqlite run_pytest -n 2 -q

PG_URL=${TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
if "$PY" -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  echo "== tests on PostgreSQL"
  TEST_DATABASE=postgres TEST_PG_URL="$PG_URL" run_pytest -n 2 -q
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL is not reachable, and CI must test on it" >&2; exit 1
else
  echo "== PostgreSQL not reachable at $PG_URL: skipped the PostgreSQL run (CI always runs it)"
fi
