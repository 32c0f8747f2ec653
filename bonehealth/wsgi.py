import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonehealth.settings")
application = get_wsgi_application()

# Replays pages the page cache already served before Django's request handling (bonehealth/pagecache.py).
from bonehealth.pagecache import FastPath  # noqa: E402  (needs the settings configured above)

application = FastPath(application)
