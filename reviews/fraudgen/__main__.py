"""``python -m reviews.fraudgen OUT_DIR``: write the development pilot data set."""

from reviews.fraudgen import main

raise SystemExit(main())
