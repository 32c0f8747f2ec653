"""The outermost WSGI layer: a request whose ``Content-Type`` Django cannot use is a 400, never a 500.

Two ways a ``Content-Type`` ends in a 500 otherwise, in any form of its parameters (plain or RFC 2231, ``charset*=``):

- a parameter Django cannot parse (an RFC 2231 value in an unknown encoding, ``charset*=bogus''utf-8``, or a header
  longer than Django parses): Django raises ``BadRequest`` while it builds the request, before its error handling;
- a ``charset`` that ``codecs.lookup`` knows but that is not a text encoding (``rot13``, ``base64``, ``zlib``,
  ``hex`` …): Django keeps it as ``request.encoding`` and ``LookupError`` escapes wherever ``request.GET`` is first
  read. Unknown names (``charset=nonsense``) are refused too rather than silently read as UTF-8.

Only the header is parsed here, with Django's own parser; the body is never read.
"""

import codecs
import json

from django.utils.http import parse_header_parameters

# The API's error shape (docs/api.md), which is also plain enough for any other client.
UNREADABLE = json.dumps({"errors": {"content_type": ["The Content-Type header cannot be read."]}}).encode()
NOT_TEXT = json.dumps(
    {"errors": {"content_type": ["The Content-Type names a character set that is not a known text encoding."]}}
).encode()


# Text codecs that still fail on ordinary input: "undefined" raises on everything, idna and punycode are for host
# names (idna's errors escape Django's fallback).
UNUSABLE = frozenset({"undefined", "idna", "punycode"})


def is_text_encoding(name: str) -> bool:
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return False
    return info._is_text_encoding and info.name not in UNUSABLE


def problem(content_type: str) -> bytes | None:
    """The 400's body for a Content-Type Django cannot use, or None when it is fine (or absent)."""
    if ";" not in content_type:
        return None  # no parameters: nothing here can fail
    try:
        params = parse_header_parameters(content_type)[1]
    except ValueError:
        return UNREADABLE
    charset = params.get("charset")
    if charset is not None and not is_text_encoding(charset):
        return NOT_TEXT
    return None


class RejectUndecodableCharset:
    """WSGI middleware: 400 (JSON errors, no body read) for a Content-Type whose parameters Django cannot use."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        body = problem(environ.get("CONTENT_TYPE", ""))
        if body is not None:
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return [body]
        return self.application(environ, start_response)
