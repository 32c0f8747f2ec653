"""Nothing lost: `manage.py backup` and `restore` (bonehealth/backup.py) carry the content and the uploads from one
site to a fresh one, checked through HTTP on the restored site; damaged, foreign and too-new archives are refused with
nothing changed; and an editor's deletion is undone from the admin's "Recover deleted" with every inline row."""

import gzip
import hashlib
import http.cookiejar
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.admin_forms import submit
from tests.processes import BASE_DIR, GOOD_KEY, run_manage

PASSWORD = "a-long-owner-password-for-the-restored-site"


def png_bytes(colour):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASE_URL for an empty database beside the test database (a file, or on PostgreSQL a database named after
    the test database), dropped afterwards."""
    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    options = connection.settings_dict
    name = f"{options['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    credentials = quote(options["USER"] or "", safe="") + (
        ":" + quote(options["PASSWORD"], safe="") if options.get("PASSWORD") else ""
    )
    yield f"postgres://{credentials}@{options['HOST'] or '127.0.0.1'}:{options['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


class Site:
    """The project under gunicorn on its own port, with its own database and MEDIA_ROOT."""

    def __init__(self, env, log):
        self.port = free_port()
        self.log = log
        self.opener = build_opener(HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bonehealth.wsgi:application", "--config", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env={**env, "PORT": str(self.port), "WEB_CONCURRENCY": "1"},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                assert time.monotonic() < deadline and self.process.poll() is None, log.read_text()
                time.sleep(0.2)

    def get(self, path, data=None):
        try:
            with self.opener.open(f"http://127.0.0.1:{self.port}{path}", data=data, timeout=20) as response:
                return response.status, response.read()
        except HTTPError as error:
            return error.code, error.read()

    def sign_in(self, username, password):
        status, page = self.get("/admin/login/")
        assert status == 200, page[:300]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
        status, page = self.get("/admin/login/", data=urlencode(form).encode())
        assert status == 200 and b"log out" in page.lower(), page[:500]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def make_content(make_article, make_reviewer, make_product, django_user_model, media_root):
    """An article with a revision and a review, a product with an image, a changed guideline, and a superuser whose
    password the restored site (with the production hashers) can check."""
    import reversion
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.core.files.base import ContentFile

    from articles import review
    from calculator.models import IntakeGuideline

    article = make_article(
        title="Calcium with a meal",
        body="TAKE CALCIUM WITH FOOD.[^lee-2019]",
        references=[{"key": "lee-2019", "title": "A calcium absorption trial"}],
        takeaways=[("Calcium carbonate is absorbed best with food.", "official")],
    )
    with reversion.create_revision():
        article.summary = "The SECOND VERSION of the summary."
        article.save()
        reversion.set_comment("Summary rewritten for the backup test.")
    review.approve(article, user=make_reviewer(), note="Checked against the sources.")
    product = make_product("k2-drops", ("calcium", 300, "calcium-citrate"), image_alt="A brown dropper bottle")
    product.image.save("k2-drops.png", ContentFile(png_bytes("brown")))
    guideline = IntakeGuideline.objects.order_by("pk").first()
    guideline.note = "CHANGED BY AN EDITOR before the backup."
    guideline.save()
    owner = django_user_model.objects.create_superuser(username="owner", email="", password=None)
    owner.password = PBKDF2PasswordHasher().encode(PASSWORD, "backuptestsalt", iterations=1000)
    owner.save()
    return article, product, guideline


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_while_serving_then_restore_into_a_fresh_database_brings_everything_back(
    live_server, tmp_path, media_root, fresh_database, make_article, make_reviewer, make_product, django_user_model
):
    from articles.models import Article

    article, product, guideline = make_content(make_article, make_reviewer, make_product, django_user_model, media_root)
    image = product.image.read()
    product.image.close()

    # Readers keep reading while the backup is taken.
    statuses, stop = [], threading.Event()
    paths = [article.get_absolute_url(), "/blog/", "/calculator/?age=60&sex=female", "/healthz"]

    def read_the_site():
        opener = build_opener()
        while not stop.is_set():
            for path in paths:
                try:
                    with opener.open(live_server.url + path, timeout=20) as response:
                        statuses.append(response.status)
                except HTTPError as error:
                    statuses.append(error.code)

    reader = threading.Thread(target=read_the_site)
    reader.start()
    try:
        while len(statuses) < len(paths):
            time.sleep(0.01)
        call_command("backup", dir=str(tmp_path / "backups"), stdout=io.StringIO())
        served_during = len(statuses)
        time.sleep(0.2)
    finally:
        stop.set()
        reader.join(timeout=30)
    assert served_during >= len(paths) and set(statuses) == {200}, statuses
    (archive,) = (tmp_path / "backups").iterdir()
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert archive.stat().st_mode & 0o777 == 0o600

    # The disk dies: the rows and the uploads are gone.
    Article.objects.filter(pk=article.pk).delete()
    shutil.rmtree(media_root)

    env = {
        "DATABASE_URL": fresh_database,
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "BACKUP_DIR": str(tmp_path / "before-restore"),
    }
    restored = run_manage("restore", str(archive), env_overrides=env, tmp_path=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    from tests.processes import clean_env

    # DEBUG only so that the pages link static files without a collectstatic manifest (the tests run none).
    site = Site(clean_env(tmp_path, {**env, "DJANGO_DEBUG": "True"}), tmp_path / "gunicorn.log")
    try:
        status, page = site.get(article.get_absolute_url())
        assert status == 200
        assert b"SECOND VERSION" in page and b"TAKE CALCIUM WITH FOOD" in page
        assert b"A calcium absorption trial" in page and b"absorbed best with food" in page
        assert b"Medically reviewed by" in page
        assert site.get(product.image.url) == (200, image)

        site.sign_in("owner", PASSWORD)
        status, history = site.get(f"/admin/articles/article/{article.pk}/history/")
        assert status == 200
        assert b"Summary rewritten for the backup test." in history and b"Medical review: approved by" in history
        status, form = site.get(f"/admin/calculator/intakeguideline/{guideline.pk}/change/")
        assert status == 200 and b"CHANGED BY AN EDITOR before the backup." in form
        status, form = site.get(f"/admin/calculator/product/{product.pk}/change/")
        assert status == 200 and product.image.name.encode() in form
    finally:
        site.stop()

    # Over a database that is no longer empty only with --replace, which first backs up what is there.
    again = run_manage("restore", str(archive), env_overrides=env, tmp_path=tmp_path)
    assert again.returncode != 0 and "The database is not empty" in again.stderr
    assert not (tmp_path / "before-restore").exists()
    again = run_manage("restore", str(archive), "--replace", env_overrides=env, tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    (safety,) = (tmp_path / "before-restore").iterdir()
    assert str(safety) in again.stdout


# Refusals: the checks run before anything is touched, even with --replace. Transactional: a backup reads committed
# rows, and the test's own open transaction would hold SQLite's write lock.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def archive(transactional_db, media_root, settings, tmp_path):
    """A good archive of the test database, with one upload; BACKUP_DIR empty (so a safety backup would show)."""
    (media_root / "products").mkdir()
    (media_root / "products" / "bottle.png").write_bytes(png_bytes("white"))
    settings.BACKUP_DIR = tmp_path / "safety"
    call_command("backup", dir=str(tmp_path / "made"), stdout=io.StringIO())
    (made,) = (tmp_path / "made").iterdir()
    return made


def members(path):
    with tarfile.open(path, "r:gz") as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers()}


def pack(path, files):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def with_manifest(path, target, **changes):
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    for key, value in changes.items():
        manifest[key] = value(manifest[key]) if callable(value) else value
    files["manifest.json"] = json.dumps(manifest).encode()
    pack(target, files)


def truncated(path, target):
    data = path.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def spreadsheet(path, target):
    target.write_bytes(b"name,amount\ncalcium,300\n")


def someone_elses_archive(path, target):
    pack(target, {"dump.sql": b"CREATE TABLE t (id int);"})


def another_apps_manifest(path, target):
    with_manifest(path, target, app="shop")


def changed_upload(path, target):
    files = members(path)
    files["media/products/bottle.png"] = png_bytes("black")
    pack(target, files)


def extra_file(path, target):
    pack(target, {**members(path), "media/products/smuggled.png": png_bytes("red")})


def newer_migration(path, target):
    with_manifest(path, target, migrations=lambda latest: {**latest, "articles": "9999_from_a_newer_release"})


def newer_format(path, target):
    with_manifest(path, target, format=2)


def plain_gzip(path, target):
    target.write_bytes(gzip.compress(b"not a tar archive at all"))


@TRANSACTIONAL
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "is truncated or damaged"),
        (spreadsheet, "is not a Bone Health backup (not a .tar.gz archive)"),
        (plain_gzip, "is truncated or damaged"),
        (someone_elses_archive, "is not a Bone Health backup (it has no manifest.json)"),
        (another_apps_manifest, "is not a Bone Health backup"),
        (changed_upload, "media/products/bottle.png does not match its checksum"),
        (extra_file, "its files differ from its manifest's list"),
        (newer_migration, "made by a newer release: its database has migrations this code does not have"),
        (newer_format, "this code reads format 1"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_restore_refuses_with_nothing_changed(archive, damage, message, media_root, settings, tmp_path, make_article):
    from articles.models import Article

    marker = make_article(title="Written after the backup")
    before = sorted(Article.objects.values_list("pk", "title"))
    uploads = {path: path.read_bytes() for path in media_root.rglob("*") if path.is_file()}
    bad = tmp_path / "bad.tar.gz"
    damage(archive, bad)

    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(bad), replace=True, stdout=io.StringIO())
    assert message in str(refusal.value)
    if damage is newer_migration:
        assert "articles.9999_from_a_newer_release" in str(refusal.value)
    assert sorted(Article.objects.values_list("pk", "title")) == before
    assert Article.objects.filter(pk=marker.pk).exists()
    assert {path: path.read_bytes() for path in media_root.rglob("*") if path.is_file()} == uploads
    assert not settings.BACKUP_DIR.exists()  # refused before the safety backup, so it was never needed


@TRANSACTIONAL
def test_restore_refuses_a_missing_file_and_a_non_empty_database_without_confirmation(archive, tmp_path):
    from articles.models import Article

    count = Article.objects.count()
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nowhere.tar.gz"))
    with pytest.raises(CommandError, match=r"The database is not empty.*--replace"):
        call_command("restore", str(archive))
    assert Article.objects.count() == count


def with_database(path, target, database):
    """The archive at ``path`` with another database member, ``database(old bytes) -> new bytes``, and a manifest whose
    checksum matches it: damage done before the backup was packed (a failing disk under it, a broken dump)."""
    files = members(path)
    manifest = json.loads(files["manifest.json"])
    (name,) = [name for name in files if name.startswith("database.")]
    files[name] = database(files[name])
    manifest["files"][name] = hashlib.sha256(files[name]).hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()
    pack(target, files)


def fails_and_changes_nothing(bad, client, settings, media_root, make_article):
    """Restore ``bad`` over a site with an article written after the backup: the restore fails, names the safety
    backup, and the site still serves exactly what it had. Returns the failure's message."""
    from articles.models import Article

    marker = make_article(
        title="Written after the backup",
        body="STILL HERE.[^kanis-2008]",
        references=[{"key": "kanis-2008", "title": "FRAX and fracture risk"}],
    )
    before = sorted(Article.objects.values_list("pk", "title", "body_html", "references_html"))
    uploads = {path: path.read_bytes() for path in media_root.rglob("*") if path.is_file()}

    with pytest.raises(CommandError) as failure:
        call_command("restore", str(bad), replace=True, stdout=io.StringIO())
    (safety,) = settings.BACKUP_DIR.iterdir()
    assert "The restore failed" in str(failure.value) and str(safety) in str(failure.value)
    assert sorted(Article.objects.values_list("pk", "title", "body_html", "references_html")) == before
    assert {path: path.read_bytes() for path in media_root.rglob("*") if path.is_file()} == uploads
    page = client.get(marker.get_absolute_url())
    assert page.status_code == 200 and b"STILL HERE." in page.content and b"FRAX and fracture risk" in page.content
    return str(failure.value)


@TRANSACTIONAL
def test_a_restore_whose_database_cannot_be_read_leaves_the_current_content_as_it_was(
    archive, client, settings, media_root, make_article, tmp_path
):
    bad = tmp_path / "bad.tar.gz"
    with_database(archive, bad, lambda data: data[: len(data) // 2])  # cut off, with a checksum that matches
    fails_and_changes_nothing(bad, client, settings, media_root, make_article)


# pg_restore does not check constraints; the rows of this table satisfy its CHECK when they are dumped, not when they
# are loaded again, because the function the CHECK calls changed in between.
REFUSED_WHEN_LOADED = """
CREATE FUNCTION zz_accepts(value integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE TABLE zz_loaded_last (value integer CHECK (zz_accepts(value)));
INSERT INTO zz_loaded_last VALUES (1);
CREATE OR REPLACE FUNCTION zz_accepts(value integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT false';
"""


@TRANSACTIONAL
def test_on_postgresql_a_dump_whose_sql_fails_midway_leaves_the_current_content_as_it_was(
    archive, fresh_database, client, settings, media_root, make_article, tmp_path
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL loads a dump as SQL; SQLite copies whole pages with its backup API (the test above)")
    # The archive's own dump plus one more table whose rows fail when they are loaded: the SQL drops every table,
    # creates them all again and loads their rows, then fails on the last one.
    dump = tmp_path / "failing.pgdump"
    dump.write_bytes(members(archive)["database.pgdump"])
    for command in (
        ["pg_restore", "--no-owner", "--no-privileges", f"--dbname={fresh_database}", str(dump)],
        [
            "psql",
            "--no-psqlrc",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={fresh_database}",
            "--command",
            REFUSED_WHEN_LOADED,
        ],
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--dbname={fresh_database}", f"--file={dump}"],
    ):
        made = subprocess.run(command, capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
    bad = tmp_path / "bad.tar.gz"
    with_database(archive, bad, lambda data: dump.read_bytes())

    message = fails_and_changes_nothing(bad, client, settings, media_root, make_article)
    assert "zz_loaded_last" in message and "violates check constraint" in message


def drop_every_table(connection):
    """Make the database empty, as a new one is (no table at all)."""
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")


@TRANSACTIONAL
def test_a_backup_from_an_older_release_comes_up_to_the_current_schema_with_its_reference_list(
    media_root, client, make_article, tmp_path
):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from articles.models import Article
    from calculator.models import ReferenceValueSource

    article = make_article(
        title="Vitamin D and falls",
        body="VITAMIN D and falls.[^bischoff-2009]",
        references=[{"key": "bischoff-2009", "title": "Fall prevention with vitamin D"}],
    )
    try:
        # The release before articles 0017 stored no reference list (its page looped over the references); the one
        # before calculator 0015 had no further sources for the K2 trial amount.
        call_command("migrate", "articles", "0016", verbosity=0)
        call_command("migrate", "calculator", "0014", verbosity=0)
        call_command("backup", dir=str(tmp_path / "older"), stdout=io.StringIO())
        (older,) = (tmp_path / "older").iterdir()
        drop_every_table(connection)
        call_command("restore", str(older), stdout=io.StringIO())

        latest = json.loads(members(older)["manifest.json"])["migrations"]
        assert (latest["articles"], latest["calculator"]) == ("0016_fact_citations", "0014_facts_third_check")
        applied = MigrationRecorder(connection).applied_migrations()
        assert {("articles", "0017_article_references_html"), ("calculator", "0015_fact_gaps_and_sources")} <= set(
            applied
        )
        assert ReferenceValueSource.objects.filter(reference_value__slug="k2-trial-amount-mcg").count() == 2
        assert "Fall prevention with vitamin D" in Article.objects.get(pk=article.pk).references_html
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200 and b"VITAMIN D and falls." in page.content
        references = page.content.split(b'id="references"', 1)[1]
        assert b"Fall prevention with vitamin D" in references.split(b"</section>", 1)[0]
    finally:
        # Only now (its post_migrate renders articles too): the next test finds the current schema whatever happened.
        call_command("migrate", verbosity=0)


@TRANSACTIONAL
def test_backup_names_itself_describes_itself_and_keeps_the_newest(media_root, tmp_path):
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from bonehealth import generation

    folder = tmp_path / "kept"
    made = []
    for _ in range(3):
        out = io.StringIO()
        call_command("backup", dir=str(folder), keep=2, stdout=out)
        made.append(Path(out.getvalue().split("Backup written: ")[1].strip()))
    assert sorted(folder.iterdir()) == sorted(made[1:])  # the oldest is gone
    name = made[-1].name
    assert re.fullmatch(rf"bonehealth-\d{{8}}-\d{{6}}(-\d+)?-{re.escape(generation.release())}\.tar\.gz", name)
    manifest = json.loads(members(made[-1])["manifest.json"])
    assert manifest["app"] == "bonehealth" and manifest["format"] == 1
    assert manifest["release"] == generation.release()
    assert manifest["engine"] == connection.vendor
    applied = [name for app, name in MigrationRecorder(connection).applied_migrations() if app == "articles"]
    assert manifest["migrations"]["articles"] == max(applied)
    with pytest.raises(CommandError, match="1 or more"):
        call_command("backup", dir=str(folder), keep=0)


def test_make_restore_without_a_file_says_how():
    result = subprocess.run(["make", "-s", "restore"], cwd=BASE_DIR, capture_output=True, text=True, env=os.environ)
    assert result.returncode != 0
    assert "Usage: make restore FILE=" in result.stdout


# An editor's undo: "Recover deleted" brings a deleted row back with every row its deletion took along.


def test_recover_deleted_article_brings_back_its_references_takeaways_changes_and_reviews(
    editor_client, client, make_article, make_reviewer
):
    from reversion.models import Version

    from articles import review
    from articles.models import Article

    article = make_article(
        title="Magnesium and bones",
        body="MAGNESIUM matters.[^ryder-2005]",
        references=[{"key": "ryder-2005", "title": "Magnesium intake and bone density"}],
        takeaways=[("Magnesium is part of bone.", "official")],
    )
    review.approve(article, user=make_reviewer(), note="Sources checked.")
    article.changes.create(date=article.published_at.date(), kind="update", note="Added the magnesium trial.")
    rows = {
        "references": list(article.references.values_list("pk", "title")),
        "takeaways": list(article.takeaways.values_list("pk", "text")),
        "changes": list(article.changes.values_list("pk", "note")),
        "reviews": list(article.reviews.values_list("pk", "decision", "note")),
    }
    assert all(rows.values())

    response = editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Article.objects.filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404

    (version,) = Version.objects.get_deleted(Article)
    assert submit(editor_client, reverse("admin:articles_article_recover", args=[version.pk])).status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert {
        "references": list(restored.references.values_list("pk", "title")),
        "takeaways": list(restored.takeaways.values_list("pk", "text")),
        "changes": list(restored.changes.values_list("pk", "note")),
        "reviews": list(restored.reviews.values_list("pk", "decision", "note")),
    } == rows
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert b"Magnesium intake and bone density" in page.content and b"Magnesium is part of bone." in page.content
    # The sign-off is the reviewer's and is never restored from a revision (issue 27): the recovered article keeps its
    # review history but waits for a reviewer's new approval before it says "Medically reviewed by" again.
    assert b"Medically reviewed by" not in page.content
    assert b"review pending" in page.content.lower() or b"Medical review pending" in page.content


def test_restoring_an_older_version_keeps_the_reviews_given_since(editor_client, make_article, make_reviewer):
    from reversion.models import Version

    from articles import review

    article = make_article(title="Vitamin K2 forms")
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert submit(editor_client, change_url).status_code == 302  # the first stored version
    review.approve(article, user=make_reviewer(), note="Approved later.")
    first = Version.objects.get_for_object(article).order_by("pk").first()
    response = submit(editor_client, reverse("admin:articles_article_revision", args=[article.pk, first.pk]))
    assert response.status_code == 302
    assert list(article.reviews.values_list("note", flat=True)) == ["Approved later."]


def test_recover_deleted_product_brings_back_what_a_serving_holds(editor_client, make_product):
    from reversion.models import Version

    from calculator.models import Product

    product = make_product("bone-duo", ("calcium", 500, "calcium-citrate"), ("vitamin-k2", 90, "mk-7"))
    amounts = sorted(product.nutrients.values_list("pk", "nutrient__slug", "amount"))
    response = editor_client.post(reverse("admin:calculator_product_delete", args=[product.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Product.objects.filter(pk=product.pk).exists()

    (version,) = Version.objects.get_deleted(Product)
    assert submit(editor_client, reverse("admin:calculator_product_recover", args=[version.pk])).status_code == 302
    restored = Product.objects.get(pk=product.pk)
    assert sorted(restored.nutrients.values_list("pk", "nutrient__slug", "amount")) == amounts
    page = editor_client.get(reverse("admin:calculator_product_change", args=[product.pk]))
    assert page.status_code == 200 and b"bone-duo" in page.content


def test_recover_deleted_medication_brings_back_its_cautions_and_every_spacing_rule_naming_it(superuser_client):
    from reversion.models import Version

    from calculator.models import Medication, Spacing

    medication = next(m for m in Medication.objects.order_by("pk") if m.spacings.exists() and m.cautions.exists())
    Spacing.objects.create(
        medication=Medication.objects.exclude(pk=medication.pk).first(),
        other_medication=medication,
        hours_before=2,
        hours_after=2,
    )

    def rows():
        return {
            "cautions": sorted(medication.cautions.values_list("pk", flat=True)),
            "spacings": sorted(Spacing.objects.filter(medication=medication).values_list("pk", flat=True)),
            "named in": sorted(Spacing.objects.filter(other_medication=medication).values_list("pk", flat=True)),
        }

    before = rows()
    assert all(before.values())
    response = superuser_client.post(
        reverse("admin:calculator_medication_delete", args=[medication.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Medication.objects.filter(pk=medication.pk).exists()
    assert not Spacing.objects.filter(other_medication_id=medication.pk).exists()

    (version,) = Version.objects.get_deleted(Medication)
    assert (
        submit(superuser_client, reverse("admin:calculator_medication_recover", args=[version.pk])).status_code == 302
    )
    assert rows() == before


def bulk_delete_and_recover_one(client, model, first, second):
    """Delete ``first`` and ``second`` with the change list's "Delete selected" action, then recover only ``first``
    from "Recover deleted"; returns the two deletion revisions' comments."""
    from reversion.models import Version

    opts = model._meta
    response = client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not model.objects.filter(pk__in=[first.pk, second.pk]).exists()
    deleted = {int(version.object_id): version for version in Version.objects.get_deleted(model)}
    comments = [deleted[obj.pk].revision.get_comment() for obj in (first, second)]
    recover_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_recover", args=[deleted[first.pk].pk])
    assert submit(client, recover_url).status_code == 302
    return comments


def test_recovering_one_of_two_articles_deleted_together_brings_back_only_that_one(editor_client, client, make_article):
    from articles.models import Article

    kept = make_article(
        title="Protein and bones",
        body="PROTEIN helps.[^darling-2009]",
        references=[{"key": "darling-2009", "title": "Dietary protein and bone health"}],
        takeaways=[("Enough protein supports bone.", "official")],
    )
    gone = make_article(
        title="Coffee and bones",
        references=[{"key": "hallstrom-2013", "title": "Coffee consumption and fracture risk"}],
        takeaways=[("Moderate coffee is fine.", "official")],
    )
    rows = (list(kept.references.values_list("pk", "title")), list(kept.takeaways.values_list("pk", "text")))

    comments = bulk_delete_and_recover_one(editor_client, Article, kept, gone)

    restored = Article.objects.get(pk=kept.pk)
    assert (
        list(restored.references.values_list("pk", "title")),
        list(restored.takeaways.values_list("pk", "text")),
    ) == rows
    page = client.get(kept.get_absolute_url())
    assert b"Dietary protein and bone health" in page.content and b"Enough protein supports bone." in page.content
    assert not Article.objects.filter(pk=gone.pk).exists()
    assert not gone.references.exists() and not gone.takeaways.exists()
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert comments == [
        "Deleted article: Protein and bones. Restore from “Recover deleted articles”.",
        "Deleted article: Coffee and bones. Restore from “Recover deleted articles”.",
    ]


def test_recovering_one_of_two_products_deleted_together_brings_back_only_that_one(editor_client, make_product):
    from calculator.models import Product

    kept = make_product("bone-trio", ("calcium", 400, "calcium-citrate"), ("vitamin-d", 25, "d3"))
    gone = make_product("k2-solo", ("vitamin-k2", 100, "mk-7"))
    amounts = sorted(kept.nutrients.values_list("pk", "nutrient__slug", "amount"))

    comments = bulk_delete_and_recover_one(editor_client, Product, kept, gone)

    assert sorted(Product.objects.get(pk=kept.pk).nutrients.values_list("pk", "nutrient__slug", "amount")) == amounts
    assert not Product.objects.filter(pk=gone.pk).exists()
    assert comments == [
        f"Deleted product: {kept}. Restore from “Recover deleted products”.",
        f"Deleted product: {gone}. Restore from “Recover deleted products”.",
    ]
