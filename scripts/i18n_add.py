"""Add English translations to the catalogue: `python scripts/i18n_add.py 中文 English [中文 English ...]`.

Run scripts/i18n.sh first (it extracts new strings), then this, then scripts/i18n.sh again (it compiles).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = (
    Path(__file__).resolve().parent.parent
    / "marketplace"
    / "translations"
    / "en"
    / "LC_MESSAGES"
    / "messages.po"
)


def main(pairs: list[str]) -> None:
    if len(pairs) % 2:
        sys.exit("give pairs: source translation ...")
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    for source, english in zip(pairs[::2], pairs[1::2], strict=True):
        message = catalogue.get(source)
        if message is None:
            sys.exit(f"not in the catalogue (run scripts/i18n.sh first): {source}")
        message.string = english
        message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalogue, width=0)


if __name__ == "__main__":
    main(sys.argv[1:])
