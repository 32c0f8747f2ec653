"""The repository explains itself: its Markdown documents link only to files that exist, the README names only `make`
targets the Makefile has and links every document in docs/, nothing points outside the repository, and docs/api.md
documents exactly the fields, paths and statuses of the OpenAPI document the site serves."""

import os
import re
from pathlib import Path

import pytest

from tests.processes import BASE_DIR

README = BASE_DIR / "README.md"
DOCS = BASE_DIR / "docs"
API_DOC = DOCS / "api.md"
DOCUMENTS = sorted([README, BASE_DIR / "CHANGELOG.md", *DOCS.rglob("*.md")])
# Folders that are not the project's own files: installed packages, git's store, and what the tools write.
NOT_THE_PROJECT = {
    ".git",
    ".venv",
    "node_modules",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "staticfiles",
    "media",
    "screenshots",
}
# Written in two pieces so that this file does not name what it looks for.
OUTSIDE = re.compile(r"(\.\./|/work/)" + "shared" + r"\b")

INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
SHELL_BLOCK = re.compile(r"^```(?:sh|bash|shell|console)\s*$(.*?)^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def relative_links(text: str) -> list[str]:
    """Every link target in a Markdown text that names a file in the repository (not a URL, not an anchor)."""
    text = CODE_BLOCK.sub("", text)
    text = CODE_SPAN.sub("", text)
    targets = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)
    return [
        target.split("#")[0]
        for target in targets
        if not re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) and not target.startswith("#")
    ]


def test_relative_links_finds_files_not_urls_or_anchors():
    text = (
        "See [the API](docs/api.md#errors), [a site](https://example.com/x.md), [top](#top), "
        '![chart](static/img/chart.svg "Chart"), `[not](a-link.md)`, <mailto:x@example.com>.\n\n'
        "[ref]: ../deploy/nginx.conf\n```\n[in code](nowhere.md)\n```\n"
    )
    assert relative_links(text) == ["docs/api.md", "static/img/chart.svg", "../deploy/nginx.conf"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_document_links_only_to_files_that_exist(document):
    missing = [
        target
        for target in relative_links(document.read_text(encoding="utf-8"))
        if not (document.parent / target).exists()
    ]
    assert not missing, f"{document.relative_to(BASE_DIR)} links to files that do not exist: {missing}"


def test_the_documents_are_there():
    names = {path.relative_to(BASE_DIR).as_posix() for path in DOCUMENTS}
    for name in ("README.md", "CHANGELOG.md", "docs/api.md", "docs/architecture.md", "docs/calculator.md"):
        assert name in names
    for name in ("docs/editors.md", "docs/deployment.md", "docs/configuration.md", "docs/performance.md"):
        assert name in names


def test_readme_links_every_document_in_docs():
    linked = {(BASE_DIR / target).resolve() for target in relative_links(README.read_text(encoding="utf-8"))}
    documents = list(DOCS.rglob("*.md"))
    unlinked = [path.relative_to(BASE_DIR).as_posix() for path in documents if path.resolve() not in linked]
    assert not unlinked, f"README.md does not link to {unlinked}"


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) < 150


def makefile_targets() -> set[str]:
    text = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.MULTILINE))


def make_targets_named(text: str) -> set[str]:
    """The targets of every `make …` command written as code: in code spans and in code blocks."""
    code = [*CODE_SPAN.findall(CODE_BLOCK.sub("", text)), *SHELL_BLOCK.findall(text)]
    targets = set()
    for piece in code:
        piece = re.sub(r"(^|\s)#.*$", "", piece, flags=re.MULTILINE)  # shell comments
        for arguments in re.findall(r"(?:^|[\s;&|(])make((?:[ \t]+[^\s;&|#)]+)*)", piece, re.MULTILINE):
            targets |= {word for word in arguments.split() if not word.startswith("-") and "=" not in word}
    return targets


def test_make_targets_named_reads_commands_not_prose():
    text = (
        "To make sure, run `make run` or `PORT=9000 make run`, then:\n```sh\nmake -s bench PAGE=x  # make it\n```\n"
        "```text\nbench/  make lint and make it fast\n```"
    )
    assert make_targets_named(text) == {"run", "bench"}


def test_readme_names_only_make_targets_the_makefile_has():
    missing = make_targets_named(README.read_text(encoding="utf-8")) - makefile_targets()
    assert not missing, f"README.md names make targets the Makefile lacks: {sorted(missing)}"


def test_docs_name_only_make_targets_the_makefile_has():
    named = set()
    for document in DOCUMENTS:
        named |= make_targets_named(document.read_text(encoding="utf-8"))
    missing = named - makefile_targets()
    assert not missing, f"the documents name make targets the Makefile lacks: {sorted(missing)}"


def project_files():
    for folder, subfolders, files in os.walk(BASE_DIR):
        subfolders[:] = [name for name in subfolders if name not in NOT_THE_PROJECT]
        for name in files:
            path = Path(folder) / name
            if path.suffix not in {".sqlite3", ".pyc"} and "sqlite3-" not in name:
                yield path


def test_nothing_in_the_repository_points_outside_it():
    pointing = []
    for path in project_files():
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # a binary file
        if OUTSIDE.search(data.decode("utf-8", errors="replace")):
            pointing.append(path.relative_to(BASE_DIR).as_posix())
    assert not pointing, f"these files refer to a folder outside the repository: {pointing}"


# docs/api.md against the served OpenAPI document ----------------------------------------------------------------

FIELD_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|", re.MULTILINE)


def schema_fields(schema: dict, prefix: str = "") -> set[str]:
    """Every property of an object schema, nested ones as `parent.child` and array items as `parent[].child`."""
    fields = set()
    for name, property_schema in schema.get("properties", {}).items():
        path = prefix + name
        fields.add(path)
        fields |= schema_fields(property_schema, path + ".")
        items = property_schema.get("items", {})
        if isinstance(items, dict):
            fields |= schema_fields(items, path + "[].")
    return fields


def api_doc_sections() -> dict[str, str]:
    """api.md's text under each second-level heading."""
    text = API_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def documented(section: str) -> list[str]:
    return FIELD_ROW.findall(api_doc_sections().get(section, ""))


@pytest.fixture
def openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_fields_walks_objects_and_arrays():
    schema = {
        "properties": {
            "a": {"type": "integer"},
            "b": {"type": "object", "properties": {"c": {}}},
            "d": {"type": "array", "items": {"type": "object", "properties": {"e": {}}}},
            "f": {"type": "object", "additionalProperties": {"type": "number"}},
        }
    }
    assert schema_fields(schema) == {"a", "b", "b.c", "d", "d[].e", "f"}


@pytest.mark.parametrize(
    ("section", "schema_name"),
    [("Request fields", "IntakeRequest"), ("Response fields", "IntakeResult"), ("Errors", "Errors")],
)
def test_api_doc_documents_exactly_the_served_fields(openapi, section, schema_name):
    served = schema_fields(openapi["components"]["schemas"][schema_name])
    rows = documented(section)
    assert len(rows) == len(set(rows)), f"api.md lists a field twice under {section!r}"
    assert served - set(rows) == set(), f"fields the API serves that api.md's {section!r} does not document"
    assert set(rows) - served == set(), f"fields api.md's {section!r} documents that the API does not serve"


def test_api_doc_documents_every_path_and_status(openapi):
    sections = api_doc_sections()
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            assert f"{method.upper()} {path}" in API_DOC.read_text(encoding="utf-8")
            if path == "/api/intake/":
                statuses = set(FIELD_ROW.findall(sections["Statuses"]))
                assert statuses == set(operation["responses"]), "api.md's statuses differ from the served ones"
