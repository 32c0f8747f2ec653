"""Tags of the calculator's results page: its own address (as the page cache keys it), the same answers' calendar
file, and a QR code of the address for the printout."""

from dataclasses import dataclass

import qrcode
from django import template
from django.urls import reverse

from calculator import keys

register = template.Library()


@register.simple_tag
def canonical_address(request) -> str:
    """The results page's address for these answers as the page cache keys it (the form's fields, normalized): every
    request that shares a cached page prints the same address, and nobody's tracking parameters (``?fbclid=…``) reach
    anybody else. The calendar file of the same answers links back to the same address."""
    return request.build_absolute_uri(f"{reverse('calculator:index')}?{keys.page_query(request.GET)}")


@register.simple_tag
def edit_address(request) -> str:
    """The form filled in with the same answers ("Edit my answers"): the same canonical query on ``calculator:edit``."""
    return f"{reverse('calculator:edit')}?{keys.page_query(request.GET)}#intake-form"


@register.simple_tag
def calendar_address(request) -> str:
    """The calendar file of the same answers: the same canonical query on ``calculator:calendar``."""
    return f"{reverse('calculator:calendar')}?{keys.page_query(request.GET)}"


@dataclass(frozen=True)
class QRCode:
    size: int  # modules across, the quiet zone included
    path: str  # SVG path data: one rectangle per run of dark modules in a row


@register.simple_tag
def qr_code(address: str) -> QRCode:
    """A QR code of the address, drawn as one SVG path (no inline style, no image file: the CSP stays strict).

    One fixed mask pattern: every mask is valid and reads alike; letting the library score all eight for the "best"
    one made the code four times slower to draw (15 ms against 3 ms for a results address), on every new answer."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=0)
    code.add_data(address)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return QRCode(size=len(matrix), path="".join(runs))
