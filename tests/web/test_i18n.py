"""Every string a user reads has an English translation, and the compiled catalogue is current."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "marketplace" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_every_message_in_the_code_is_translated_to_english(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with pot.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with PO.open("rb") as handle:
        catalogue = {message.id: message for message in read_po(handle) if message.id}
    missing = sorted(wanted - catalogue.keys())
    untranslated = sorted(
        key for key in wanted & catalogue.keys() if not catalogue[key].string or catalogue[key].fuzzy
    )
    assert missing == [] and untranslated == [], "run scripts/i18n.sh and translate"


def test_the_compiled_catalogue_matches_the_po_file():
    with PO.open("rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == source, "run scripts/i18n.sh to compile"
