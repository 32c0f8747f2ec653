"""Which way imports point, counting imports inside functions and imports through other modules: the project package
(`bonehealth`) may import the apps; the apps never reach its page cache; `calculator`, the shared models layer, never
reaches `articles`."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bonehealth", "articles", "calculator")
PAGE_CACHE = "bonehealth.pagecache"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# The project's modules, without migrations (they use historical models and import no app code).
MODULES = {
    _module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if "migrations" not in path.parts
}


@cache
def imports(module: str) -> frozenset[str]:
    """The project modules `module` imports anywhere in its source (`from x import y` counts both x and x.y)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(name for name in names if name in MODULES)


def reachable(module: str) -> set[str]:
    """Every project module `module` imports, directly or through others."""
    seen, todo = set(), [module]
    while todo:
        for name in imports(todo.pop()) - seen:
            seen.add(name)
            todo.append(name)
    return seen


def app_modules(app: str) -> list[str]:
    return [name for name in MODULES if name == app or name.startswith(f"{app}.")]


def test_the_walk_sees_the_project_importing_the_apps():
    # The rules below are only as good as the walk: it must find imports the project is known to have.
    assert "articles.sitemaps" in imports("bonehealth.urls")
    assert PAGE_CACHE in reachable("bonehealth.wsgi")


def test_apps_never_reach_the_page_cache():
    offenders = {
        module: sorted(path for path in reachable(module) if path == PAGE_CACHE)
        for module in app_modules("articles") + app_modules("calculator")
    }
    assert not {module: found for module, found in offenders.items() if found}


def test_calculator_never_reaches_articles():
    offenders = {
        module: sorted(name for name in reachable(module) if name == "articles" or name.startswith("articles."))
        for module in app_modules("calculator")
    }
    assert not {module: found for module, found in offenders.items() if found}
