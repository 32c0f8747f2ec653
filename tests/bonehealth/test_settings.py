"""Settings (bonehealth/settings.py): production checks, the env file, security headers, static files, logging,
media, HSTS opt-ins and password length."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from tests.processes import PRODUCTION_ENV, run_manage, run_python


def test_settings_deploy_check_passes_with_production_variables(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_deploy_check_fails_with_defaults(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def test_settings_load_with_no_environment_and_debug_is_off(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.CACHES['default']['BACKEND'])",
        env_overrides={},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "django.core.cache.backends.locmem.LocMemCache"]


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/robots.txt", "/no-such-page/"], ids=["home", "healthz", "robots", "404"]
)
def test_security_headers_on_every_kind_of_response(client, path):
    assert_security_headers(client.get(path))


@pytest.mark.django_db
def test_security_headers_on_server_error(settings):
    from django.urls import path as url_path

    def explode(request):
        raise RuntimeError("boom")

    import bonehealth.urls as root

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [url_path("boom/", explode)] + root.urlpatterns, "handler500": root.handler500}
    )
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert_security_headers(response)


def test_static_files_are_hashed_compressed_and_immutable(tmp_path, settings):
    """Collect the real static files with the production storage and fetch one through whitenoise."""
    from django.test import override_settings

    production_storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=production_storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage
        from whitenoise.middleware import WhiteNoiseMiddleware

        hashed = staticfiles_storage.url("css/site.css")
        assert hashed != "/static/css/site.css" and hashed.endswith(".css")
        assert (tmp_path / hashed.removeprefix("/static/")).with_suffix(".css.gz").exists()
        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        from django.test import RequestFactory

        request = RequestFactory().get(hashed, HTTP_ACCEPT_ENCODING="gzip")
        response = middleware(request)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_no_pending_migrations():

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_logging_is_one_line_to_stdout():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["stdout"]
    assert handler["stream"] == "ext://sys.stdout"
    assert "\n" not in settings.LOGGING["formatters"]["line"]["format"]


def test_media_uploads_are_served_and_traversal_is_refused(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "products").mkdir(parents=True)
    (settings.MEDIA_ROOT / "products" / "tub.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("not for readers")
    response = client.get("/media/products/tub.svg")
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
    for attempt in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/products/../../secret.txt"):
        response = client.get(attempt)
        assert response.status_code in (400, 404), attempt
        assert b"not for readers" not in response.content


def test_settings_read_the_env_file_that_django_env_file_names_and_the_environment_wins(tmp_path):
    env_file = tmp_path / "site.env"
    env_file.write_text("DJANGO_ADMIN_URL=staff-only/\nDJANGO_RELEASE=from-the-file\n")
    script = "from django.conf import settings; print(settings.ADMIN_URL, settings.RELEASE)"
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        env_overrides={"DJANGO_ENV_FILE": str(env_file), "DJANGO_RELEASE": "from-the-environment"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["staff-only/", "from-the-environment"]


def test_hsts_header_adds_subdomains_and_preload_only_when_asked(tmp_path):
    script = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/robots.txt', secure=True, headers={'host': 'example.com'})"
        ".headers.get('Strict-Transport-Security'))"
    )
    base = {
        k: v for k, v in PRODUCTION_ENV.items() if k not in ("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_HSTS_PRELOAD")
    }
    plain = run_python(["-c", script], base, tmp_path)
    assert plain.stdout.strip().splitlines()[-1] == "max-age=31536000", plain.stderr
    both = run_python(["-c", script], PRODUCTION_ENV, tmp_path)
    assert both.stdout.strip().splitlines()[-1] == "max-age=31536000; includeSubDomains; preload", both.stderr


def test_passwords_need_twelve_characters(db):
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kx9!vQ2#mLp")  # 11
    validate_password("Kx9!vQ2#mLpZ")  # 12
