"""The committed lock (requirements/lock.txt) covers pyproject.toml and is what is installed.

The README's commands install with `-c requirements/lock.txt`, so a fresh install next month gets
the versions CI passed. These tests fail when a dependency is added to pyproject.toml without
refreshing the lock (it would install unpinned), when a pin no longer satisfies its bounds, and
when the running environment was not installed from the lock.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
PROJECT = canonicalize_name("louyuan")
# The venv brings its own installer tools; only the bundle's PyInstaller asks for setuptools.
VENV_SEEDS = {"pip", "setuptools", "wheel"}


def _pins() -> list[tuple[str, Version, Marker | None]]:
    pins = []
    for raw in LOCK.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spec, _, marker = line.partition(";")
        name, _, pinned = spec.strip().partition("==")
        assert pinned, f"not an exact pin in the lock: {line}"
        pins.append(
            (canonicalize_name(name), Version(pinned), Marker(marker) if marker.strip() else None)
        )
    return pins


def _applicable_pins() -> dict[str, Version]:
    return {name: v for name, v, marker in _pins() if marker is None or marker.evaluate()}


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        texts.extend(extra)
    return [Requirement(t) for t in texts if canonicalize_name(Requirement(t).name) != PROJECT]


def test_every_dependency_is_pinned_within_its_bounds() -> None:
    pins = _applicable_pins()
    for requirement in _requirements():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{requirement} is not in requirements/lock.txt: refresh it (see README)"
        )
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"the lock pins {name}=={pins[name]}, outside {requirement}"
        )


def test_the_environment_was_installed_from_the_lock() -> None:
    differing = {}
    for name, pinned in _applicable_pins().items():
        if name in VENV_SEEDS:
            continue
        try:
            installed = Version(version(name))
        except PackageNotFoundError:
            continue  # an extra this environment did not install (bundle: PyInstaller)
        if installed != pinned:
            differing[name] = f"{installed} installed, {pinned} locked"
    assert not differing, differing
