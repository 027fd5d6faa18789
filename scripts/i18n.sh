#!/usr/bin/env bash
# Extract every user-facing string, merge into the English catalogue, compile. Chinese is the source language.
set -euo pipefail
cd "$(dirname "$0")/.."
# the project's own Babel when the venv exists, so the script works without activating it
PYBABEL=$( [ -x .venv/bin/pybabel ] && echo .venv/bin/pybabel || command -v pybabel )
"$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext -o marketplace/translations/messages.pot --no-location --sort-output . 2>/dev/null >/dev/null
if [ -f marketplace/translations/en/LC_MESSAGES/messages.po ]; then
  "$PYBABEL" update -i marketplace/translations/messages.pot -d marketplace/translations -l en --no-fuzzy-matching 2>/dev/null >/dev/null
else
  "$PYBABEL" init -i marketplace/translations/messages.pot -d marketplace/translations -l en 2>/dev/null >/dev/null
fi
"$PYBABEL" compile -d marketplace/translations -l en --statistics
