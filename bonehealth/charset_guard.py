"""The outermost WSGI layer: a request whose Content-Type names a charset Python cannot decode text with is a 400.

Django keeps any charset ``codecs.lookup`` knows as ``request.encoding`` and decodes the query string and form body
with it later; a codec that is not a text encoding (``rot13``, ``base64``, ``zlib``, ``hex`` …) then raises
``LookupError`` wherever ``request.GET`` is first read, which ends in a 500. Unknown names (``charset=nonsense``) are
refused too rather than silently read as UTF-8. Only the header is parsed here; the body is never read.
"""

import codecs
import json

from django.utils.http import parse_header_parameters

# The API's error shape (docs/api.md), which is also plain enough for any other client.
BODY = json.dumps(
    {"errors": {"content_type": ["The Content-Type names a character set that is not a known text encoding."]}}
).encode()


# Text codecs that still fail on ordinary input: "undefined" raises on everything, idna and punycode are for host
# names (idna's errors escape Django's fallback).
UNUSABLE = frozenset({"undefined", "idna", "punycode"})


def declared_charset(content_type: str) -> str | None:
    """The charset parameter as Django reads it (the same parser), or None."""
    if "charset" not in content_type.lower():
        return None
    try:
        return parse_header_parameters(content_type)[1].get("charset")
    except ValueError:  # longer than Django will parse: Django ignores it too
        return None


def is_text_encoding(name: str) -> bool:
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return False
    return info._is_text_encoding and info.name not in UNUSABLE


class RejectUndecodableCharset:
    """WSGI middleware: 400 (JSON errors, no body read) for an unknown or non-text ``charset`` in ``Content-Type``."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        charset = declared_charset(environ.get("CONTENT_TYPE", ""))
        if charset is not None and not is_text_encoding(charset):
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(BODY))),
                    ("Cache-Control", "no-store"),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return [BODY]
        return self.application(environ, start_response)
