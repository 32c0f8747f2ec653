"""A person who takes several medicines prints their plan for the pharmacist: Chromium prints the results page to PDF
on A4 and US Letter, and the printout is read back: at most two pages, with the answers, the timetable, the warnings,
the sources, the disclaimer and the page's own address, and without the products, the navigation or the form."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from pypdf import PdfReader

from calculator import panel

from .support import SCREENSHOTS, print_pdf

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANSWERS = [
    ("age", "68"),
    ("sex", "female"),
    ("goal", "bone_health"),
    ("food_milk", "1"),
    ("food_kale", "0.5"),
    ("calcium_mg", "600"),
    ("vitamin_d_iu", "800"),
    ("medications", "levothyroxine"),
    ("medications", "bisphosphonates"),
    ("medications", "iron-supplements"),
    ("medications", "warfarin"),
    ("conditions", "kidney-stones"),
]
PATH = "/calculator/?" + urlencode(ANSWERS)


def printed_pdf(page, paper: str) -> bytes:
    return print_pdf(page, format=paper, print_background=False)  # bounded: a print that never ends fails


def printed_text(page, paper: str) -> tuple[int, str]:
    pdf = printed_pdf(page, paper)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"results-print-{paper.lower()}.pdf").write_bytes(pdf)  # for people to look at
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_results_print_on_two_pages_with_everything_the_pharmacist_needs(site, paper):
    page = site.open(PATH)
    products = [offer.name for offer in panel.get_catalogue().offers]
    on_screen = page.locator("#recommendations").inner_text()
    assert any(name in on_screen for name in products), "the results show products on screen"

    pages, text = printed_text(page, paper)
    assert pages <= 2, f"{pages} pages on {paper}"
    for expected in (
        "Your answers",
        "68 years",
        "Levothyroxine (thyroid hormone)",
        "Bisphosphonates",
        "Warfarin",
        "History of kidney stones",
        "Your day",
        "on waking, on an empty stomach",
        "at bedtime",
        "Keep your vitamin K steady",
        "Sources",
        "This is not medical advice",
        "Tables used",
        "US National Academies",
        "Printed on",  # with today's date, stamped by the page's script
    ):
        assert expected in text, f"{expected!r} is missing from the {paper} printout"
    assert "Scan the code to open these results again" in text
    assert "age=68" not in text, "the query string is not printed: the QR code carries it"
    assert "the foods below" not in text, "the printout mentions a food table it does not print"
    assert "Products that fit your answers" not in text
    assert not any(name in text for name in products), "a product is printed"
    assert "Recalculate" not in text and "Edit your answers" not in text, "the form is printed"
    assert "Skip to main content" not in text and "Blog Calculator" not in text, "the navigation is printed"


def test_the_print_button_prints_and_is_hidden_without_javascript(site):
    page = site.open(PATH)
    button = page.get_by_role("button", name="Print or save as PDF")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert page.evaluate("window.printed") == 1
    assert page.locator("[data-printed-date]").inner_text().strip()

    without_js = site.open(PATH, javascript=False)
    assert without_js.get_by_role("button", name="Print or save as PDF").count() == 0
    pages, text = printed_text(without_js, "A4")
    assert pages <= 2 and "Your answers" in text and "Scan the code" in text


def decoded_qr_codes(pdf: bytes) -> list[str]:
    """Rasterise the PDF (pdftoppm, poppler-utils) and read every QR code on it (zbarimg, zbar-tools)."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install -y poppler-utils zbar-tools)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "printout.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "200", "-png", source, Path(folder) / "page"], check=True, timeout=60)
        images = sorted(Path(folder).glob("page*.png"))
        found = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *images],
            capture_output=True,
            text=True,
            timeout=60,
        )
    return found.stdout.split()


def test_the_printout_carries_a_qr_code_of_the_results_address(site):
    page = site.open(PATH)
    codes = decoded_qr_codes(printed_pdf(page, "A4"))
    assert len(codes) == 1, f"QR codes found on the printout: {codes}"
    address = urlsplit(codes[0])
    assert f"{address.scheme}://{address.netloc}" == site.base_url
    assert address.path == "/calculator/"
    assert sorted(parse_qsl(address.query)) == sorted(ANSWERS)
