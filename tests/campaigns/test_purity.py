"""The campaign rules stay pure: the standard library, name folding and each other, nothing that reaches a
database or the web (the tables, services and pages of the domain build on them)."""

import ast
import sys
from pathlib import Path

import pytest

import sportsrun.campaigns

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

RULES = ("series", "invitations", "figures", "kept_standings")
ALLOWED = ("sportsrun.core.text", "sportsrun.campaigns.")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    return names


def test_the_rule_modules_import_only_the_standard_library_and_name_folding():
    folder = Path(sportsrun.campaigns.__file__).parent
    outside = {
        (rule, name)
        for rule in RULES
        for name in imported(folder / f"{rule}.py")
        if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith(ALLOWED)
    }
    assert outside == set()
    assert any(name.startswith("sportsrun.core.text") for name in imported(folder / "kept_standings.py"))
