"""Matching: a pure, deterministic core that ranks published listings for an enterprise's diagnosis.

Plain data in (``Listing``, ``Profile``), ranked ids with reasons out (``Match``, ``Reason``); no database, no
Flask, nothing else of the project. Build one ``Matcher`` per catalogue version and share it: it is read-only.
"""

from matching.matcher import Matcher
from matching.types import Listing, Match, Need, Profile, Reason

__all__ = ["Listing", "Match", "Matcher", "Need", "Profile", "Reason"]
