from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve

from articles.sitemaps import SITEMAPS
from bonehealth import views

# Browsers ask for these at the site root on every page, the admin's too, whatever the page links. The files live in
# static/img/ beside the SVG icon; the URLs carry no hash, so a month's caching lets a new icon arrive in time.
ICON_ROOT = settings.BASE_DIR / "static" / "img"
icon = cache_control(public=True, max_age=60 * 60 * 24 * 30)(serve)

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", icon, {"path": "favicon.ico", "document_root": ICON_ROOT}, name="favicon"),
    path("apple-touch-icon.png", icon, {"path": "apple-touch-icon.png", "document_root": ICON_ROOT}),
    path("apple-touch-icon-precomposed.png", icon, {"path": "apple-touch-icon.png", "document_root": ICON_ROOT}),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("articles.urls")),
    path("", include("calculator.urls")),
    # Editors' uploads (hero and product images). deploy/nginx.conf serves /media/ from disk in front of this;
    # under plain `make run` gunicorn serves them here (serve() refuses paths outside MEDIA_ROOT).
    re_path(r"^media/(?P<path>.+)$", views.media, name="media"),
]

handler500 = "bonehealth.views.server_error"
