from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles.sitemaps import SITEMAPS
from bonehealth import views

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("articles.urls")),
    path("", include("calculator.urls")),
    # Editors' uploads (hero and product images). deploy/nginx.conf serves /media/ from disk in front of this;
    # under plain `make run` gunicorn serves them here (serve() refuses paths outside MEDIA_ROOT).
    re_path(r"^media/(?P<path>.+)$", views.media, name="media"),
]

handler500 = "bonehealth.views.server_error"
