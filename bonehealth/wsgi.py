import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonehealth.settings")
application = get_wsgi_application()

# With DEBUG off, an unsafe secret key stops the site here, at start-up (bonehealth/checks.py says how to set one).
from bonehealth.checks import refuse_unsafe_secret_key  # noqa: E402

refuse_unsafe_secret_key()

# Outermost: a Content-Type whose parameters Django cannot use (charset=rot13, an RFC 2231 charset*=…) is a 400
# before anything reads the request (bonehealth/charset_guard.py).
from bonehealth.charset_guard import RejectUndecodableCharset  # noqa: E402

application = RejectUndecodableCharset(application)
