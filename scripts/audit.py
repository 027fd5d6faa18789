"""Audit the installed dependencies for known vulnerabilities: pip-audit, plus PyPI's project data where needed.

pip-audit asks PyPI for each installed release (`/pypi/NAME/VERSION/json`). Some package mirrors and proxies
answer only the project document (`/pypi/NAME/json`), and pip-audit then skips every package. That document
lists the vulnerabilities of the newest release, so a package whose installed release is the newest is still
audited from it. Exit 1 on any vulnerability, or when nothing at all could be audited; packages that remain
unaudited are named.

    .venv/bin/python scripts/audit.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from typing import Any

PYPI = "https://pypi.org/pypi/{name}/json"
OUR_PACKAGE = "luoyang-marketplace"


def pip_audit() -> list[dict[str, Any]]:
    """pip-audit's verdict on every installed distribution but our own."""
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if not done.stdout.strip():
        sys.exit(f"pip-audit failed: {done.stderr.strip()[-500:]}")
    return list(json.loads(done.stdout)["dependencies"])


def newest_release_vulnerabilities(name: str, version: str) -> list[dict[str, Any]] | None:
    """The vulnerabilities PyPI lists for the package when ``version`` is its newest release, else None."""
    try:
        with urllib.request.urlopen(PYPI.format(name=name), timeout=20) as answer:
            project = json.load(answer)
    except (OSError, ValueError):
        return None
    if project.get("info", {}).get("version") != version:
        return None
    return list(project.get("vulnerabilities") or [])


def main() -> int:
    """Print what was audited and found; non-zero exit on a vulnerability or on no audit at all."""
    found: list[str] = []
    audited, unaudited = 0, []
    dependencies = [d for d in pip_audit() if d["name"] != OUR_PACKAGE]
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    versions = {name: metadata.version(name) for name in skipped}
    with ThreadPoolExecutor(max_workers=8) as pool:  # one HTTP request per skipped package
        fallback = dict(
            zip(
                skipped,
                pool.map(lambda n: newest_release_vulnerabilities(n, versions[n]), skipped),
                strict=True,
            )
        )
    for dependency in dependencies:
        name = dependency["name"]
        if name in fallback:
            vulns = fallback[name]
            if vulns is None:
                unaudited.append(f"{name} {versions[name]}")
                continue
            version = versions[name]
        else:
            vulns, version = dependency.get("vulns", []), dependency["version"]
        audited += 1
        found += [f"{name} {version}: {v.get('id', '?')} {','.join(v.get('aliases') or [])}" for v in vulns]
    print(f"audited {audited} packages, {len(found)} known vulnerabilities, {len(unaudited)} not audited")
    for line in found:
        print(f"  VULNERABLE {line}")
    if unaudited:
        print("  not audited (installed release is not the newest and PyPI gave no per-release data): ")
        print("  " + ", ".join(unaudited))
    return 1 if found or audited == 0 else 0


if __name__ == "__main__":
    raise SystemExit(main())
