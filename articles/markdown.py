"""Markdown -> sanitized HTML, table of contents, word count: the article renderer.

Plain Python over plain data (no models, no request), so the migrations' post-migrate step, the model's save and the
tests all call the same function. What the editor can write beyond CommonMark:

- GFM tables; a paragraph ``Table: caption text`` directly above a table becomes its ``<caption>``;
- ``[^key]`` cites the article's reference whose key is ``key``: a numbered superscript link to the reference list
  (numbered by the references' order), and the reference links back to the first citation;
- ``[[table:slug]]`` alone on a line places a table drawn live from the calculator's rows (``tables`` callback);
- ``#`` headings become ``<h2>`` (the title is the page's only ``<h1>``); h2 and h3 get anchors and make the TOC.

Raw HTML is allowed in the Markdown, and everything the Markdown produces goes through nh3 with a small allow-list, so
an editor's ``<script>``, ``onerror=`` or ``javascript:`` link never reaches a reader.
"""

import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from html import escape

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

WORDS_PER_MINUTE = 220
CITATION_RE = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")
TABLE_DIRECTIVE_RE = re.compile(r"^ {0,3}\[\[table:([a-z0-9-]+)\]\][ \t]*$", re.MULTILINE)
CAPTION_PREFIX = "Table:"

# Ids the article page itself uses; a heading that slugifies to one of these gets a suffix instead.
RESERVED_IDS = frozenset(
    {
        "main",
        "article-title",
        "toc",
        "toc-title",
        "takeaways",
        "takeaways-title",
        "references",
        "references-title",
        "about",
        "about-title",
        "related",
        "related-title",
        "rec-panel-title",
        "disclaimer",
        "calculator-cta",
        "review-status",
        "evidence-legend",
        "changes",
        "changes-title",
    }
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "caption": {"id"},
    "sup": {"id"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "div": {"aria-labelledby", "aria-label"},
}
# Attributes whose values are restricted to what the renderer itself produces.
ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"scope": {"col", "row", "colgroup", "rowgroup"}, "class": {"align-right", "align-center"}},
    "td": {"class": {"align-right", "align-center"}},
    "div": {"class": {"table-scroll"}, "role": {"region"}, "tabindex": {"0"}},
    "sup": {"class": {"cite"}},
    "span": {"class": {"visually-hidden"}},
    "p": {"class": {"table-source"}},
    "img": {"loading": {"lazy"}},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    word_count: int = 0
    reading_minutes: int = 0
    cited_keys: list[str] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)
    unknown_tables: list[str] = field(default_factory=list)


def find_citations(text: str) -> list[str]:
    """The reference keys a Markdown text cites, in order of first appearance."""
    return list(dict.fromkeys(CITATION_RE.findall(text)))


def find_table_directives(text: str) -> list[str]:
    """The live-table slugs a Markdown text places, in order of first appearance."""
    return list(dict.fromkeys(TABLE_DIRECTIVE_RE.findall(text)))


def reading_minutes(word_count: int) -> int:
    return math.ceil(word_count / WORDS_PER_MINUTE) if word_count else 0


def render(
    text: str,
    *,
    reference_keys: Sequence[str] = (),
    tables: Callable[[str], str | None] | None = None,
) -> Rendered:
    """Render an article body. ``reference_keys`` are its references' keys in their order; ``tables`` turns a live-table
    slug into trusted table HTML (or None when it has no rows)."""
    env = {
        "reference_numbers": {key: number for number, key in enumerate(reference_keys, start=1)},
        "citation_counts": {},
        "unknown_keys": [],
        "unknown_tables": [],
        "tables": tables or (lambda slug: None),
        "toc": [],
        "table_count": 0,
    }
    raw_html = _parser().render(text, env)
    html = sanitize(raw_html, allowed_ids=_renderer_ids(env, text))
    words = count_words(html)
    return Rendered(
        html=html,
        toc=_nest_toc(env["toc"]),
        word_count=words,
        reading_minutes=reading_minutes(words),
        cited_keys=list(env["citation_counts"]),
        unknown_keys=list(dict.fromkeys(env["unknown_keys"])),
        unknown_tables=list(dict.fromkeys(env["unknown_tables"])),
    )


def sanitize(html: str, *, allowed_ids: Collection[str] | None = None) -> str:
    """nh3 with the allow-lists above. With ``allowed_ids`` (render() passes the ids it generated itself) every other
    id is dropped and each id is kept once: an editor's raw HTML cannot add an id, duplicate one, or take over one of
    the page's own elements (the ids in raw HTML are also removed before rendering, ``_strip_raw_ids_core``)."""
    kept: set[str] = set()

    def own_ids_only(tag: str, attribute: str, value: str) -> str | None:
        if attribute != "id" or allowed_ids is None:
            return value
        if value in allowed_ids and value not in kept:
            kept.add(value)
            return value
        return None

    return nh3.clean(
        html,
        attribute_filter=own_ids_only,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _renderer_ids(env: dict, text: str) -> set[str]:
    """Every id the renderer itself wrote: headings, table captions, citations, live tables."""
    ids = {entry["id"] for entry in env["toc"]}
    ids |= {f"table-{number}-caption" for number in range(1, env["table_count"] + 1)}
    ids |= {citation_anchor(key, n) for key, count in env["citation_counts"].items() for n in range(1, count + 1)}
    ids |= {f"live-{slug}-caption" for slug in find_table_directives(text) if slug not in env["unknown_tables"]}
    return ids


# An id attribute inside an editor's raw HTML (quoted or not, after a space, a slash or a quote).
_RAW_ID_RE = re.compile(r"""(?i)(?<=[\s/"'])id\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""")


def _strip_raw_ids_core(state) -> None:
    """Raw HTML keeps no id of its own, so the renderer's ids (headings, citations) are the ones the page uses."""
    for token in state.tokens:
        for item in [token, *(token.children or [])]:
            if item.type in ("html_block", "html_inline"):
                item.content = _RAW_ID_RE.sub("", item.content)


_CITATION_HTML_RE = re.compile(r'<sup class="cite".*?</sup>', re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(html: str) -> int:
    """Words a reader reads: the text of the HTML without its tags and citation markers."""
    return len(_WORD_RE.findall(_TAG_RE.sub(" ", _CITATION_HTML_RE.sub("", html))))


# --- markdown-it set-up ---------------------------------------------------------------------------------------------

_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        md.block.ruler.before("paragraph", "live_table", _live_table_block, {"alt": ["paragraph"]})
        md.inline.ruler.before("link", "citation", _citation_inline)
        md.core.ruler.push("headings", _headings_core)
        md.core.ruler.push("table_captions", _table_captions_core)
        md.core.ruler.push("strip_raw_ids", _strip_raw_ids_core)
        md.add_render_rule("live_table", _render_live_table)
        md.add_render_rule("citation", _render_citation)
        md.add_render_rule("table_open", _render_table_open)
        md.add_render_rule("table_close", _render_table_close)
        md.add_render_rule("th_open", _render_cell_open)
        md.add_render_rule("td_open", _render_cell_open)
        md.add_render_rule("caption_open", lambda self, tokens, idx, options, env: f'<caption id="{tokens[idx].info}">')
        md.add_render_rule("caption_close", lambda self, tokens, idx, options, env: "</caption>\n")
        md.add_render_rule("image", _render_image)
        _PARSER = md
    return _PARSER


def _live_table_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[begin : state.eMarks[start_line]]
    match = TABLE_DIRECTIVE_RE.match(line)
    if not match or state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if silent:
        return True
    token = state.push("live_table", "", 0)
    token.info = match.group(1)
    token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


def _citation_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[^", state.pos):
        return False
    match = CITATION_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.info = match.group(1)
    state.pos = match.end()
    return True


def _headings_core(state) -> None:
    """Demote h1 to h2, give h2/h3 unique ids and collect them for the table of contents."""
    used = set(RESERVED_IDS)
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        if token.tag == "h1":
            token.tag = "h2"
        if token.type != "heading_open" or token.tag not in ("h2", "h3"):
            continue
        inline = tokens[index + 1]
        text = "".join(
            child.content for child in inline.children or [] if child.type in ("text", "code_inline")
        ).strip()
        base = slugify(text) or "section"
        slug, suffix = base, 2
        while slug in used:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used.add(slug)
        token.attrSet("id", slug)
        state.env["toc"].append({"level": int(token.tag[1]), "id": slug, "text": text})


def _table_captions_core(state) -> None:
    """A paragraph starting with ``Table:`` right above a table becomes that table's caption."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 3 < len(tokens)
            and tokens[index + 1].content.startswith(CAPTION_PREFIX)
            and tokens[index + 3].type == "table_open"
        ):
            inline = tokens[index + 1]
            inline.content = inline.content[len(CAPTION_PREFIX) :].strip()
            if inline.children and inline.children[0].type == "text":
                inline.children[0].content = inline.children[0].content[len(CAPTION_PREFIX) :].lstrip()
            state.env["table_count"] += 1
            caption_id = f"table-{state.env['table_count']}-caption"
            table_open = tokens[index + 3]
            table_open.meta = {"caption_id": caption_id}
            caption_open = Token("caption_open", "caption", 1)
            caption_open.info = caption_id
            caption_close = Token("caption_close", "caption", -1)
            # paragraph_open, inline, paragraph_close, table_open -> table_open, caption_open, inline, caption_close
            tokens[index : index + 4] = [table_open, caption_open, inline, caption_close]
        index += 1


def _render_table_open(self, tokens, idx, options, env) -> str:
    caption_id = (tokens[idx].meta or {}).get("caption_id")
    label = f' aria-labelledby="{caption_id}"' if caption_id else ' aria-label="Table"'
    # A focusable scroll region: keyboard users can scroll a wide table on a narrow screen.
    return f'<div class="table-scroll" role="region" tabindex="0"{label}>\n<table>\n'


def _render_table_close(self, tokens, idx, options, env) -> str:
    return "</table>\n</div>\n"


def _render_cell_open(self, tokens, idx, options, env) -> str:
    """Header cells get ``scope``; column alignment becomes a class (the CSP forbids style attributes)."""
    token = tokens[idx]
    style = token.attrs.pop("style", None) or ""
    for align in ("right", "center"):
        if f"text-align:{align}" in str(style):
            token.attrSet("class", f"align-{align}")
    if token.tag == "th":
        token.attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)


def _render_image(self, tokens, idx, options, env) -> str:
    tokens[idx].attrSet("loading", "lazy")
    return self.image(tokens, idx, options, env)


def _render_live_table(self, tokens, idx, options, env) -> str:
    slug = tokens[idx].info
    html = env["tables"](slug)
    if html is None:
        env["unknown_tables"].append(slug)
        return ""
    return html + "\n"


def _render_citation(self, tokens, idx, options, env) -> str:
    key = tokens[idx].info
    number = env["reference_numbers"].get(key)
    if number is None:
        env["unknown_keys"].append(key)
        return escape(f"[^{key}]")
    counts = env["citation_counts"]
    counts[key] = counts.get(key, 0) + 1
    anchor = citation_anchor(key, counts[key])
    return (
        f'<sup class="cite" id="{anchor}"><a href="#{reference_anchor(key)}">'
        f'[<span class="visually-hidden">reference </span>{number}]</a></sup>'
    )


def citation_anchor(key: str, occurrence: int = 1) -> str:
    return f"cite-{key}" if occurrence == 1 else f"cite-{key}-{occurrence}"


def reference_anchor(key: str) -> str:
    return f"ref-{key}"


def _nest_toc(flat: list[dict]) -> list[dict]:
    """[{level, id, text}] -> h2 entries, each with its h3 entries as ``children``."""
    toc: list[dict] = []
    for entry in flat:
        item = {"id": entry["id"], "text": entry["text"]}
        if entry["level"] == 3 and toc:
            toc[-1]["children"].append(item)
        else:
            toc.append({**item, "children": []})
    return toc
