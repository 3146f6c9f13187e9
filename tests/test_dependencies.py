"""What the code imports is declared in pyproject.toml, and what is declared is used: serving needs only
`dependencies`; the tests and the benchmarks need only those and the `test` extra."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Declared, never imported by name, and why they are there all the same.
NOT_IMPORTED = {
    "defusedxml": "openpyxl parses XML through it when it is installed",
    "pytest-asyncio": "pytest's plugin for the async tests (asyncio_mode in pyproject.toml)",
    "ruff": "the linter `make lint` runs",
    "import-linter": "the layers check `make lint` runs (lint-imports)",
}


def _name(requirement: str) -> str:
    """PEP 503's normalised name of a requirement such as `uvicorn[standard]>=0.30`."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def _imports(*folders: str) -> dict[str, str]:
    """Every top-level module imported under the folders (inside functions too), with a file importing it."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _distributions(modules: dict[str, str], own: set[str]) -> tuple[dict[str, set[str]], list[str]]:
    """The installed distributions that provide the modules, and the modules none does."""
    providers = packages_distributions()
    provided: dict[str, set[str]] = {}
    unknown = []
    for module, where in modules.items():
        if module in sys.stdlib_module_names or module in own:
            continue
        if module not in providers:
            unknown.append(f"{module} ({where})")
            continue
        provided[module] = {_name(d) for d in providers[module]}
    return provided, unknown


def _undeclared(provided: dict[str, set[str]], declared: set[str], modules: dict[str, str]) -> list[str]:
    return [f"{m} ({modules[m]}, from {sorted(d)})" for m, d in sorted(provided.items()) if not d & declared]


def test_every_import_of_the_application_is_declared_for_serving():
    runtime = {_name(r) for r in PROJECT["dependencies"]}
    modules = _imports("sportsrun")
    provided, unknown = _distributions(modules, {"sportsrun", "piccolo_conf"})
    assert not unknown, f"imported but not installed: {unknown}"
    missing = _undeclared(provided, runtime, modules)
    assert not missing, f"imported by sportsrun/ but not in pyproject.toml's dependencies: {missing}"
    assert "msgspec" in provided and "uvicorn" in provided  # the scan saw the imports it should


def test_every_import_of_the_tests_and_benchmarks_is_declared():
    declared = {_name(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]}
    modules = _imports("tests", "bench")
    own = {"sportsrun", "tests"} | {p.stem for p in (ROOT / "bench").glob("*.py")}
    provided, unknown = _distributions(modules, own)
    assert not unknown, f"imported but not installed: {unknown}"
    missing = _undeclared(provided, declared, modules)
    assert not missing, f"imported by the tests or benchmarks but not declared: {missing}"


def test_every_declared_dependency_is_used():
    used = set()
    for modules in (_imports("sportsrun"), _imports("tests", "bench")):
        provided, _unknown = _distributions(modules, set())
        used |= {d for names in provided.values() for d in names}
    for group, requirements in (("dependencies", PROJECT["dependencies"]),
                                ("test", PROJECT["optional-dependencies"]["test"])):  # fmt: skip
        unused = sorted({_name(r) for r in requirements} - used - set(NOT_IMPORTED))
        assert not unused, f"declared in {group} but never imported: {unused}"


def _pinned(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {_name(name): version for name, version in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, re.M)}


def test_the_lock_files_pin_every_declared_dependency_alike():
    """`make lock` was run after pyproject.toml last changed, and both files pin the shared packages alike."""
    serving, testing = _pinned("requirements.lock"), _pinned("requirements-test.lock")
    assert not {_name(r) for r in PROJECT["dependencies"]} - set(serving), "run `make lock`"
    assert not {_name(r) for r in PROJECT["optional-dependencies"]["test"]} - set(testing), "run `make lock`"
    assert not [name for name, version in serving.items() if testing.get(name) != version]
    assert "pytest" not in serving and "ruff" not in serving  # serving installs no test tools
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert text.count("--hash=sha256:") >= len(serving)
