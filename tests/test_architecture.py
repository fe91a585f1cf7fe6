"""The walls of the house (shared/DESIGN.md "Layout") hold by themselves: the import contracts in
pyproject.toml are kept, and each one fails when a forbidden import is added to a copy of the tree.
Views stay thin: their length is measured here too."""

import ast
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

PURE_COMPOSER = "The composer is pure: no Flask, database, queue, nor rooms above it"
SERVICES_BELOW_ROUTES = "Domain services, models, schemas and presenters import no routes"
WORKER_USES_SERVICES = "Worker jobs call services, never routes"
NO_CYCLES = "No import cycles between designer's packages and modules"

# The composer's pure peers: the only designer modules it may import besides itself.
COMPOSER_PEERS = {"composer", "errors", "ids", "schema", "units"}


def lint_imports(tree: Path) -> tuple[str, dict[str, bool]]:
    """Runs lint-imports on `tree`; returns its output and, per contract name, whether it was kept."""
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": str(LINT_IMPORTS.parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    verdicts = {
        match.group(1): match.group(2) == "KEPT"
        for match in re.finditer(r"^(.+?) (KEPT|BROKEN)$", output, flags=re.MULTILINE)
    }
    assert verdicts, output
    assert (result.returncode == 0) == all(verdicts.values()), output
    return output, verdicts


@pytest.fixture(scope="module")
def checkout():
    return lint_imports(ROOT)


@pytest.fixture
def tree_copy(tmp_path):
    """A copy of the code lint-imports looks at, to break a wall in."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("designer", "worker"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(tree: Path, module: str, line: str) -> None:
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}  # a broken wall\n")


def test_every_contract_is_checked(checkout):
    _, verdicts = checkout
    assert set(verdicts) == {PURE_COMPOSER, SERVICES_BELOW_ROUTES, WORKER_USES_SERVICES, NO_CYCLES}


def test_services_are_below_routes(checkout):
    assert checkout[1][SERVICES_BELOW_ROUTES], checkout[0]


def test_worker_jobs_use_services(checkout):
    assert checkout[1][WORKER_USES_SERVICES], checkout[0]


def test_composer_is_pure(checkout):
    assert checkout[1][PURE_COMPOSER], checkout[0]


def test_no_package_cycles(checkout):
    assert checkout[1][NO_CYCLES], checkout[0]


def test_pure_composer_contract_names_every_other_designer_module():
    """A new top-level module of designer is forbidden to the composer unless it is a pure peer."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "pure-composer"]
    names = contract["forbidden_modules"]
    forbidden = {m.removeprefix("designer.") for m in names if m.startswith("designer.")}
    modules = {
        path.stem if path.is_file() else path.name
        for path in (ROOT / "designer").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert forbidden == modules - COMPOSER_PEERS


def test_services_do_not_read_the_request():
    """import-linter sees `flask`, not `from flask import request`: domain services are checked here."""
    offenders = []
    for path in sorted((ROOT / "designer").glob("*/*.py")):
        if path.stem not in {"services", "service", "models", "schemas", "present"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            imported = isinstance(node, ast.ImportFrom) and node.module == "flask"
            if imported and any(alias.name == "request" for alias in node.names):
                offenders.append(str(path.relative_to(ROOT)))
            read = isinstance(node, ast.Attribute) and node.attr == "request"
            if read and isinstance(node.value, ast.Name) and node.value.id == "flask":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_composer_wall_bites(tree_copy):
    add_import(tree_copy, "designer/composer/svg.py", "import flask")
    output, verdicts = lint_imports(tree_copy)
    assert not verdicts[PURE_COMPOSER]
    assert "designer.composer.svg -> flask" in output


def test_the_routes_wall_bites(tree_copy):
    add_import(tree_copy, "designer/files/service.py", "from designer.files import routes")
    output, verdicts = lint_imports(tree_copy)
    assert not verdicts[SERVICES_BELOW_ROUTES]
    assert "designer.files.service -> designer.files.routes" in output


def test_the_worker_wall_bites(tree_copy):
    add_import(tree_copy, "worker/renders.py", "import designer.web")
    output, verdicts = lint_imports(tree_copy)
    assert not verdicts[WORKER_USES_SERVICES]
    assert "worker.renders -> designer.web" in output


def test_the_cycle_wall_bites(checkout, tree_copy):
    # Two modules that import nothing of designer's, made to import each other.
    add_import(tree_copy, "designer/units.py", "import designer.config")
    add_import(tree_copy, "designer/config.py", "import designer.units")
    output, verdicts = lint_imports(tree_copy)
    assert not verdicts[NO_CYCLES]
    assert checkout[1][NO_CYCLES] or cycle_breakers(output) > cycle_breakers(checkout[0])


def cycle_breakers(output: str) -> int:
    match = re.search(r"could be made acyclic by removing (\d+) dependenc", output)
    return int(match.group(1)) if match else 0


def view_lengths() -> dict[str, int]:
    """Lines in the body of each view (a function under a blueprint route or `@operation`),
    its docstring left out."""
    lengths = {}
    for path in sorted((ROOT / "designer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if not any(is_view_decorator(d) for d in node.decorator_list):
                continue
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1:
                body = body[1:]
            lengths[f"{path.relative_to(ROOT)}:{node.name}"] = body[-1].end_lineno - body[0].lineno + 1
    return lengths


def is_view_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Name):
        return target.id == "operation"
    methods = {"route", "get", "post", "put", "patch", "delete"}
    return isinstance(target, ast.Attribute) and target.attr in methods


def test_views_are_found():
    assert len(view_lengths()) > 50


def test_views_are_thin():
    lengths = view_lengths()
    too_long = {view: n for view, n in lengths.items() if n > 25}
    assert too_long == {}
    assert statistics.median(lengths.values()) <= 10
