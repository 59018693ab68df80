"""Known vulnerabilities in the installed dependencies (`make audit`).

First choice: pip-audit against the OSV database, which knows every released
version. Where OSV cannot be reached (a closed network that only mirrors the
package index), the package index's own advisory data is used instead: PyPI's
JSON API lists the advisories that affect a project's latest release, so a
package installed at its latest release is checked, and one held back at an
older release is named as not checked rather than passed.

Exit status: 0 when every package was checked and none has a known advisory;
1 when an advisory is known; 2 when some packages could not be checked.
Not part of `make test`: an advisory published tomorrow must not break CI.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

INDEX = "https://pypi.org/pypi/{name}/json"
OSV = "https://api.osv.dev/v1/query"
TIMEOUT = 20


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    fixed_in: str


def installed() -> dict[str, str]:
    """Every distribution in this environment but the project itself, by normalised name."""
    packages = {}
    for distribution in importlib.metadata.distributions():
        name = distribution.metadata["Name"].lower().replace("_", "-").replace(".", "-")
        if name != "consult":
            packages[name] = distribution.version
    return dict(sorted(packages.items()))


def osv_reachable() -> bool:
    query = json.dumps({"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "0"}).encode()
    request = urllib.request.Request(OSV, data=query, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT):  # noqa: S310 - a fixed https URL
            return True
    except (urllib.error.URLError, OSError):
        return False


def audit_with_index(packages: dict[str, str]) -> tuple[list[Finding], dict[str, str]]:
    """Advisories from the package index, and the packages it cannot vouch for (with why)."""
    findings: list[Finding] = []
    unchecked: dict[str, str] = {}
    for name, version in packages.items():
        try:
            address = INDEX.format(name=name)
            with urllib.request.urlopen(address, timeout=TIMEOUT) as response:  # noqa: S310
                project = json.load(response)
        except (urllib.error.URLError, OSError, ValueError) as error:
            unchecked[name] = f"{version}: the index did not answer ({error})"
            continue
        latest = project["info"]["version"]
        if latest != version:
            unchecked[name] = f"{version}: the index lists advisories for {latest} only"
            continue
        for advisory in project.get("vulnerabilities") or []:
            if advisory.get("withdrawn"):
                continue
            fixed = ", ".join(advisory.get("fixed_in") or []) or "no fix yet"
            findings.append(Finding(name, version, advisory.get("id", "?"), fixed))
    return findings, unchecked


def main() -> int:
    if osv_reachable():
        print("Checking every installed package against the OSV database (pip-audit).")
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "pip-audit"])
        audit = [sys.executable, "-m", "pip_audit", "--vulnerability-service", "osv"]
        return subprocess.call(audit)  # noqa: S603 - our own interpreter and fixed arguments

    packages = installed()
    print(f"OSV cannot be reached; checking {len(packages)} packages with the package index.")
    findings, unchecked = audit_with_index(packages)
    for finding in findings:
        print(
            f"KNOWN  {finding.package} {finding.version}: {finding.advisory} "
            f"(fixed in {finding.fixed_in})"
        )
    for name, why in unchecked.items():
        print(f"NOT CHECKED  {name} {why}")
    checked = len(packages) - len(unchecked)
    print(
        f"{checked} checked, {len(findings)} with a known advisory, {len(unchecked)} not checked."
    )
    if findings:
        return 1
    return 2 if unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
