"""Fuzzing the calculator: property-based requests to the form and the JSON API, and schemathesis against the
published OpenAPI description. The properties: never a 500, always a documented status, and an answer in the
documented shape (HTML for the page, JSON with "errors" for a rejected API request)."""

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

FOODS = ["milk", "yogurt", "kale", "natto", "sardines", "tofu", "cheese", "no-such-food"]
FORM_FIELDS = [
    "age", "sex", "life_stage", "goal", "calcium_mg", "calcium_doses_per_day", "vitamin_k2_mcg", "medications",
    "conditions", *(f"food_{slug}" for slug in FOODS),
]  # fmt: skip
TEXT = st.text(max_size=30)
NUMBERISH = st.one_of(
    st.integers(-1000, 100_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "1e309", "0x10", "٣", "12abc", "NaN", "-0", "1" * 400]),
)
VALUE = st.one_of(
    NUMBERISH, TEXT, st.sampled_from(["female", "male", "none", "pregnant", "lactating", "general", "bone_health"])
)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, keeping the test's database transaction open as the test client does."""
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@FUZZ
@given(query=st.lists(st.tuples(st.sampled_from(FORM_FIELDS) | TEXT, VALUE), max_size=12))
def test_fuzz_calculator_form_never_fails(client, query):
    response = client.get("/calculator/?" + urlencode(query))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Traceback" not in html


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
NEAR_VALID = st.fixed_dictionaries(
    {"age": st.one_of(st.integers(-5, 130), NUMBERISH, st.none()), "sex": st.sampled_from(["female", "male", "other"])},
    optional={
        "life_stage": st.sampled_from(["none", "pregnant", "lactating", "unknown"]),
        "goal": st.sampled_from(["general", "bone_health", ""]),
        "foods": st.dictionaries(st.sampled_from(FOODS) | TEXT, st.one_of(st.floats(-5, 30), st.integers(), TEXT)),
        "supplements": st.dictionaries(
            st.sampled_from(["calcium_mg", "calcium_doses_per_day", "vitamin_k2_mcg", "iron"]),
            st.one_of(st.integers(-10, 60_000), st.floats(), TEXT, st.none()),
        ),
        "medications": st.lists(st.sampled_from(["warfarin", "levothyroxine", "aspirin"]) | TEXT, max_size=3),
        "conditions": st.one_of(st.lists(st.sampled_from(["kidney-disease", "kidney-stones"]), max_size=2), TEXT),
        "extra": ANY_JSON,
    },
)


def assert_api_answer(response):
    assert response.status_code in (200, 400), (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    if response.status_code == 400:
        assert isinstance(body["errors"], dict) and body["errors"]
        for field, messages in body["errors"].items():
            assert isinstance(field, str)
            assert messages and all(isinstance(message, str) for message in messages)
    else:
        assert body["calcium"]["status"] in ("below_target", "meets_target", "above_upper_limit")
        assert isinstance(body["warnings"], list) and isinstance(body["recommendations"], list)


@pytest.mark.django_db
@FUZZ
@given(payload=ANY_JSON)
def test_fuzz_api_any_json_is_answered_or_rejected(client, payload):
    assert_api_answer(client.post("/api/intake/", data=json.dumps(payload), content_type="application/json"))


@pytest.mark.django_db
@FUZZ
@given(payload=NEAR_VALID)
def test_fuzz_api_near_valid_profiles(client, payload):
    assert_api_answer(client.post("/api/intake/", data=json.dumps(payload), content_type="application/json"))


@pytest.mark.django_db
@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain", "", "a/b"]),
)
def test_fuzz_api_raw_bodies_get_documented_errors(client, body, content_type):
    response = client.generic("POST", "/api/intake/", data=body, content_type=content_type)
    assert response.status_code in (200, 400, 415), response.status_code
    assert response["Content-Type"] == "application/json"
    if response.status_code != 200:
        assert response.json()["errors"]


@pytest.mark.django_db
def test_fuzz_api_oversized_body_is_413(client):
    body = json.dumps({"age": 50, "sex": "female", "padding": "x" * 70_000})
    response = client.post("/api/intake/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"]


@pytest.mark.django_db
def test_api_conforms_to_its_openapi_description(wsgi_app):
    """Schemathesis's checks on every documented operation: no 5xx, only documented statuses and content types,
    responses that match their schemas. Not "schema-valid data is accepted": the schema cannot list the food,
    medication and condition slugs (editors add them), and an unknown slug is a documented 400.
    (Driven through hypothesis directly: schemathesis's pytest plugin does not load under pytest 9.)"""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {"/api/intake/"}
    for operation in operations:

        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])

        check()


# --- Headers and huge numbers: never a 500 -----------------------------------------------------

HUGE = st.one_of(
    st.integers(min_value=10**9),
    st.integers(max_value=-(10**9)),
    st.integers(min_value=10**300, max_value=10**4000),
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 10**400]),
)
HUGE_TEXT = st.one_of(
    HUGE.map(lambda number: str(number) if not isinstance(number, float) else repr(number)),
    st.sampled_from(["9" * 5000, "-" + "9" * 5000, "1e999999", "9" * 400 + ".5", "0." + "0" * 400 + "1"]),
)
CHARSETS = st.one_of(
    st.sampled_from(
        [
            "utf-8",
            "UTF8",
            "latin-1",
            "utf-16",
            "ascii",
            "cp1252",
            "rot13",
            "rot_13",
            "base64",
            "zlib_codec",
            "hex",
            "bz2",
            "uu",
            "quopri",
            "undefined",
            "idna",
            "punycode",
            "unicode_escape",
            "nonsense",
            "",
            "utf-8\x00",
        ]
    ),  # fmt: skip
    st.text(max_size=12),
)


@pytest.fixture
def site_app(settings, wsgi_app):
    """The WSGI application as gunicorn loads it (bonehealth/wsgi.py: the charset guard outermost), with the test
    database transaction kept open (wsgi_app above). A strong key: the WSGI module refuses the placeholder."""
    settings.SECRET_KEY = "fuzz-" + "k7Qp2xVb9mWz3nRt" * 4
    from bonehealth.wsgi import application

    return application


def call_wsgi(app, method, path, *, query="", content_type="", body=b""):
    import io

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)), "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }  # fmt: skip
    started = []
    chunks = app(environ, lambda status, headers, exc_info=None: started.append(status))
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return int(started[0].split()[0]), content


@pytest.mark.django_db
@FUZZ
@given(
    charset=CHARSETS,
    mime=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
    ),
    target=st.sampled_from(
        [
            ("GET", "/calculator/", "age=50&sex=female"),
            ("POST", "/api/intake/", ""),
            ("GET", "/", ""),
            ("GET", "/blog/search/", "q=calcium"),
            ("POST", "/admin/login/", ""),
            ("GET", "/api/intake/options/", ""),
        ]
    ),  # fmt: skip
    body=st.one_of(st.just(b'{"age": 50, "sex": "female"}'), st.binary(max_size=60)),
)
def test_fuzz_content_type_charsets_never_fail(site_app, charset, mime, target, body):
    method, path, query = target
    status, content = call_wsgi(
        site_app, method, path, query=query, content_type=f"{mime}; charset={charset}", body=body
    )
    assert status < 500, (status, content[:300])
    assert status in (200, 302, 400, 403, 413, 415), (status, content[:300])


def _replace_number(payload: dict, path: tuple, number) -> str:
    """JSON text with ``number`` at ``path`` (json.dumps writes Infinity and NaN as JavaScript does)."""
    marker = 7_777_777_777
    target = payload
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = marker
    return json.dumps(payload).replace(str(marker), json.dumps(number) if isinstance(number, float) else str(number))


NUMBER_PATHS = [
    ("age",), ("other_foods_mg",), ("foods", "milk"), ("foods", "natto"), ("supplements", "calcium_mg"),
    ("supplements", "calcium_doses_per_day"), ("supplements", "vitamin_k2_mcg"), ("supplements", "vitamin_d_iu"),
]  # fmt: skip


@pytest.mark.django_db
@FUZZ
@given(paths=st.lists(st.sampled_from(NUMBER_PATHS), min_size=1, max_size=4, unique=True), data=st.data())
def test_fuzz_api_huge_numbers_in_every_field_are_400(client, paths, data):
    payload = {"age": 50, "sex": "female"}
    body = json.dumps(payload)
    for path in paths:
        body = _replace_number(json.loads(body), path, data.draw(HUGE))
    response = client.post("/api/intake/", data=body, content_type="application/json")
    assert_api_answer(response)
    assert response.status_code == 400, response.content[:300]


@pytest.mark.django_db
@FUZZ
@given(
    query=st.lists(st.tuples(st.sampled_from(FORM_FIELDS + ["other_foods_mg", "vitamin_d_iu"]), HUGE_TEXT), max_size=8)
)
def test_fuzz_calculator_form_huge_numbers_in_every_field(client, query):
    response = client.get("/calculator/?" + urlencode([("age", "50"), ("sex", "female"), *query]))
    assert response.status_code == 200, response.status_code
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
@FUZZ
@given(
    path=st.sampled_from(["/blog/", "/blog/search/", "/recommendations/panel/", "/api/intake/options/", "/"]),
    name=st.sampled_from(["page", "q", "article", "age", "x"]),
    value=HUGE_TEXT,
)
def test_fuzz_huge_numbers_in_every_public_query(client, path, name, value):
    response = client.get(f"{path}?{urlencode({name: value})}")
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.django_db
def test_api_conforms_to_its_openapi_description_with_any_charset(wsgi_app):
    """Schemathesis again, through the charset guard as in production, with a charset in every Content-Type: an
    undecodable one is the documented 400 with JSON errors, never a 5xx. (The operations that take a body: the
    others document no 400, and test_fuzz_content_type_charsets_never_fail covers them.)"""
    from bonehealth.charset_guard import RejectUndecodableCharset

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", RejectUndecodableCharset(wsgi_app))
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in [operation for operation in operations if operation.method.upper() == "POST"]:

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), charset=CHARSETS.filter(lambda name: name.isprintable()))
        def check(case, charset):
            case.headers = {**(case.headers or {}), "Content-Type": f"application/json; charset={charset}"}
            case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])

        check()
