"""The article page's query, compiled by the ORM once per process instead of once per request.

Turning a queryset into SQL costs Django more than running it: about 0.5 ms of the article page's 1.5 ms on a miss
(measured in process), while SQLite answers the SQL itself in about 0.1 ms. Every article page asks the same
question with two values changed, the slug and the present time, so the ORM compiles it once with marker values and
each request runs that SQL. The row becomes a model as ``raw()`` would make it (the same column order, the same
database converters, ``Model.from_db`` with the deferred columns left out), with the order worked out once instead
of per query (another 9% of the page's instructions). What readers may see is still decided by
``ArticleQuerySet.published`` alone: this module reuses the SQL that method produces.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router
from django.utils import timezone

from articles.models import Article

# Markers: values no real request asks for, found again among the compiled query's parameters.
_MARK_TIME = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)
_MARK_SLUG = "~article lookup marker~"  # no slug has a space or a tilde (and PostgreSQL refuses NUL)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    time_at: int  # where the moment and the slug go among the params
    slug_at: int
    field_names: list  # what Model.from_db receives: the attnames of the selected columns, and their positions
    positions: list
    converters: list  # (position, (converter functions, expression)), as the ORM applies them


_compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}


def _compile(alias: str, deferred: tuple[str, ...]) -> _Compiled:
    connection = connections[alias]
    queryset = Article.objects.using(alias).defer(*deferred).published(now=_MARK_TIME).filter(slug=_MARK_SLUG)
    sql, params = queryset.query.sql_with_params()
    raw = Article.objects.raw(sql, params).using(alias)
    names, positions, _ = raw.resolve_model_init_order()
    fields = [raw.model_fields.get(column) for column in raw.columns]
    columns = [field.get_col(field.model._meta.db_table) if field else None for field in fields]
    converters = connection.ops.compiler("SQLCompiler")(raw.query, connection, alias).get_converters(columns)
    return _Compiled(
        sql=sql,
        params=tuple(params),
        time_at=params.index(connection.ops.adapt_datetimefield_value(_MARK_TIME)),
        slug_at=params.index(_MARK_SLUG),
        field_names=names,
        positions=positions,
        converters=list(converters.items()),
    )


def published_article(slug: str, *, deferred: tuple[str, ...] = (), now=None) -> Article | None:
    """``Article.objects.defer(*deferred).published(now).filter(slug=slug).first()``, without compiling it again."""
    alias = router.db_for_read(Article)
    key = (alias, deferred)
    if key not in _compiled:
        _compiled[key] = _compile(alias, deferred)
    query = _compiled[key]
    connection = connections[alias]
    values = list(query.params)
    values[query.time_at] = connection.ops.adapt_datetimefield_value(now or timezone.now())
    values[query.slug_at] = slug
    with connection.cursor() as cursor:
        cursor.execute(query.sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, (functions, expression) in query.converters:
        for convert in functions:
            row[position] = convert(row[position], expression, connection)
    return Article.from_db(alias, query.field_names, [row[position] for position in query.positions])
