"""Cloud adoption and smart sites of the generated enterprises, drawn from their own random stream.

They come from a ``random.Random`` derived from the seed and nothing else, so adding them left every other
stream of the generator (enterprises, engagements, reviews, the fraud) exactly as it was.
"""

from __future__ import annotations

import random

from reviews.fraudgen.people import Enterprise

# Earlier batches have had longer to move their systems to the cloud by the data end.
CLOUD_SHARE = {1: 0.95, 2: 0.85, 3: 0.6}
# A smart site is likelier the more digital the firm already is; small firms build none.
SITE_SHARE = {0: 0.0, 1: 0.04, 2: 0.12, 3: 0.3, 4: 0.5}
FACTORY_SHARE = 0.25  # of smart sites, the rest are workshops


def site_rng(seed: int) -> random.Random:
    """The stream for these facts: a string seed, hashed by ``random`` the same way on every run."""
    return random.Random(f"pilot-sites-{seed}")


def add_site_facts(enterprises: list[Enterprise], *, seed: int) -> None:
    """Set ``on_cloud`` and ``smart_site`` on every enterprise row (in place)."""
    rng = site_rng(seed)
    for enterprise in enterprises:
        row = enterprise.row
        row["on_cloud"] = rng.random() < CLOUD_SHARE[row["batch"]]
        chance = SITE_SHARE[row["digital_level"]] * (1.5 if row["srdi"] == "little_giant" else 1.0)
        site = None
        if row["scale"] == "above" and rng.random() < chance:
            site = "factory" if rng.random() < FACTORY_SHARE else "workshop"
        row["smart_site"] = site
