#!/usr/bin/env bash
# Extract every user-facing string, merge into the English catalogue, compile. Chinese is the source language.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _l -k lazy_gettext -o marketplace/translations/messages.pot --no-location --sort-output . 2>/dev/null >/dev/null
if [ -f marketplace/translations/en/LC_MESSAGES/messages.po ]; then
  pybabel update -i marketplace/translations/messages.pot -d marketplace/translations -l en --no-fuzzy-matching 2>/dev/null >/dev/null
else
  pybabel init -i marketplace/translations/messages.pot -d marketplace/translations -l en 2>/dev/null >/dev/null
fi
pybabel compile -d marketplace/translations -l en --statistics
