"""How the project's own modules import each other, read from the source (``ast``) with every import counted: at the
top of a module and inside functions alike, since an import hidden in a function still ties two modules together.

The rules: no cycle; the project package (`bonehealth`) may import the apps, the apps never reach its page cache;
`calculator`, the shared models layer, never reaches `articles`."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("articles", "calculator", "bonehealth")
PAGE_CACHE = "bonehealth.pagecache"


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# The project's modules, without migrations (they use historical models and import no app code).
MODULES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if "migrations" not in path.parts
}


def imported_modules(tree, module, is_package):
    """The project modules the imports in `tree` load: ``from a import b`` loads the module ``a.b`` if there is one,
    else it takes the name ``b`` from the module ``a``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    yield f"{base}.{alias.name}"
                elif base in MODULES:
                    yield base


@cache
def import_graph():
    """{module: the project modules it imports}."""
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = frozenset(imported_modules(tree, module, path.name == "__init__.py")) - {module}
    return graph


def reachable(module):
    """Every project module `module` imports, directly or through others."""
    graph, seen, todo = import_graph(), set(), [module]
    while todo:
        for name in graph[todo.pop()] - seen:
            seen.add(name)
            todo.append(name)
    return seen


def app_modules(app):
    return [name for name in MODULES if name == app or name.startswith(f"{app}.")]


def find_cycle(graph):
    """One import cycle as a list of modules (the first repeated at the end), or None."""
    done, path = set(), []

    def visit(module):
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph[module]):
            if cycle := visit(imported):
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return None


def test_the_walk_sees_the_imports_the_project_is_known_to_have():
    # The rules below are only as good as the walk: it must find imports the project is known to have.
    assert "articles.sitemaps" in import_graph()["bonehealth.urls"]
    assert "bonehealth.charset_guard" in reachable("bonehealth.wsgi")
    assert "calculator.forms" in import_graph()[PAGE_CACHE]  # imported inside a function
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_project_modules_import_no_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_apps_never_reach_the_page_cache():
    offenders = {
        module for module in app_modules("articles") + app_modules("calculator") if PAGE_CACHE in reachable(module)
    }
    assert not offenders


def test_calculator_never_reaches_articles():
    offenders = {
        module: sorted(name for name in reachable(module) if name == "articles" or name.startswith("articles."))
        for module in app_modules("calculator")
    }
    assert not {module: found for module, found in offenders.items() if found}
