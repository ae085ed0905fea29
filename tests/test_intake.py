import io

import numpy as np
import pymupdf
import pytest
from PIL import Image

from digitizer.config import LimitSettings
from digitizer.errors import DigitizerError
from digitizer.intake import load_pages, sniff
from digitizer.intake.pdf import DEFAULT_DPI, page_layers

from .conftest import sample

LIMITS = LimitSettings()


def pages_of(data: bytes, limits: LimitSettings = LIMITS):
    media_type, pages, _ = load_pages(data, limits)
    return media_type, list(pages)


def png_bytes(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def test_format_comes_from_content_not_name():
    png = sample("thong_bao", "clean", fmt="png").data
    assert sniff(png) == "image/png"
    assert sniff(sample("thong_bao", "clean", fmt="pdf").data) == "application/pdf"
    assert sniff(sample("thong_bao", "lowres").data) == "image/tiff"
    assert sniff(sample("thong_bao", "phone").data) == "image/jpeg"


@pytest.mark.parametrize("data, kind", [(b"", "empty_file"), (b"hello world", "unsupported_format"),
                                         (b"\x00" * 100, "unsupported_format")])
def test_unreadable_content_is_refused_with_a_reason(data, kind):
    with pytest.raises(DigitizerError) as err:
        pages_of(data)
    assert err.value.kind == kind
    assert "/" in err.value.message           # Vietnamese / English


def test_tiff_pages_and_resolution():
    g4 = sample("giay_xac_nhan", "fax", pages=2)
    media_type, pages = pages_of(g4.data)
    assert media_type == "image/tiff" and [p.number for p in pages] == [1, 2]
    assert pages[0].dpi == 200 and not pages[0].dpi_inferred
    assert abs(pages[0].width_pt - 595) < 15
    _, lzw = pages_of(sample("giay_xac_nhan", "lowres").data)
    assert lzw[0].image.ndim == 2


def test_resolution_inferred_from_a4_when_missing():
    _, pages = pages_of(sample("don_de_nghi", "phone").data)
    assert pages[0].dpi_inferred and 200 < pages[0].dpi < 400


def test_absurd_dpi_is_replaced_by_a4_inference():
    image = Image.new("L", (2480, 3508), 255)
    _, pages = pages_of(png_bytes(image, dpi=(1, 1)))
    assert pages[0].dpi_inferred and abs(pages[0].dpi - 300) < 1


@pytest.mark.parametrize("dpi", [72, 96])
def test_a_screen_default_resolution_is_a_guess_the_text_checks(dpi):
    image = Image.new("L", (700, 1100), 255)
    _, pages = pages_of(png_bytes(image, dpi=(dpi, dpi)))
    assert round(pages[0].dpi) == dpi and pages[0].dpi_inferred and pages[0].dpi_declared
    _, pages = pages_of(png_bytes(image, dpi=(200, 200)))
    assert round(pages[0].dpi) == 200 and not pages[0].dpi_inferred


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA", "I;16", "CMYK", "1"])
def test_image_modes_become_grey_or_rgb(mode):
    image = Image.new("RGB", (400, 560), (255, 255, 255))
    image.paste((0, 0, 0), (50, 50, 350, 80))
    if mode == "I;16":
        converted = Image.fromarray((np.asarray(image.convert("L")).astype(np.uint16) * 257))
    else:
        converted = image.convert(mode)
    fmt = "TIFF" if mode in ("CMYK", "I;16") else "PNG"
    out = io.BytesIO()
    converted.save(out, fmt)
    _, pages = pages_of(out.getvalue())
    array = pages[0].image
    assert array.dtype == np.uint8 and array.ndim in (2, 3)
    grey = array if array.ndim == 2 else array.mean(axis=2)
    assert grey[65, 200] < 60 and grey[300, 200] > 200


def test_transparent_background_is_white_paper():
    image = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (10, 10, 100, 30))
    _, pages = pages_of(png_bytes(image))
    assert pages[0].image[200, 200] == 255 and pages[0].image[20, 50] == 0


def test_pixel_limit_refuses_huge_pages():
    image = Image.new("1", (6000, 6000), 1)
    with pytest.raises(DigitizerError) as err:
        pages_of(png_bytes(image), LimitSettings(max_pixels=20_000_000))
    assert err.value.kind == "too_large"


def test_scanned_pdf_renders_at_its_scan_resolution():
    _, pages = pages_of(sample("quyet_dinh", "clean", fmt="pdf").data)
    assert pages[0].text is None and abs(pages[0].dpi - 300) < 2
    assert pages[0].image.shape[0] > 3400


def test_a_scan_placed_on_part_of_a_pdf_page_gives_its_resolution_and_cover():
    # A 200 DPI scan over the top two thirds of an A4 page, and a small logo: the logo neither
    # sets the resolution nor makes the page a scan; the scan does both.
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    scan = Image.new("L", (1653, 1560), 255)
    scan.paste(0, (100, 100, 1500, 140))
    page.insert_image(pymupdf.Rect(0, 0, 595, 561.6), stream=png_bytes(scan))
    page.insert_image(pymupdf.Rect(500, 780, 540, 820), stream=png_bytes(Image.new("L", (400, 400), 0)))
    layers = page_layers(page)
    assert abs(layers.dpi - 200) < 1 and 0.6 < layers.cover < 0.75 and layers.scanned
    logo_only = pymupdf.open().new_page(width=595, height=842)
    logo_only.insert_image(pymupdf.Rect(500, 780, 540, 820), stream=png_bytes(Image.new("L", (400, 400), 0)))
    assert page_layers(logo_only).dpi == DEFAULT_DPI and not page_layers(logo_only).scanned


def test_born_digital_pdf_pages_are_text_not_images():
    born = sample("quyet_dinh", "born_digital")
    _, pages = pages_of(born.data)
    assert pages[0].image is None
    assert born.truth["fields"]["doc_number"] in pages[0].text


def test_mixed_pdf_gives_one_text_page_and_one_image_page():
    doc = pymupdf.open(stream=sample("quyet_dinh", "born_digital").data, filetype="pdf")
    doc.insert_pdf(pymupdf.open(stream=sample("thong_bao", "clean", fmt="pdf").data, filetype="pdf"))
    _, pages = pages_of(doc.tobytes())
    assert pages[0].image is None and pages[1].image is not None


def _encrypted(user_pw: str) -> bytes:
    doc = pymupdf.open(stream=sample("quyet_dinh", "born_digital").data, filetype="pdf")
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_pw, owner_pw="owner")


def test_pdf_with_user_password_is_refused():
    with pytest.raises(DigitizerError) as err:
        pages_of(_encrypted("secret"))
    assert err.value.kind == "encrypted_pdf"


def test_pdf_with_only_owner_password_is_read():
    _, pages = pages_of(_encrypted(""))
    assert pages[0].text


def test_truncated_pdf_is_refused():
    data = sample("quyet_dinh", "clean", fmt="pdf").data
    with pytest.raises(DigitizerError) as err:
        pages_of(data[: len(data) // 3])
    assert err.value.kind in ("truncated", "no_pages")


def test_truncated_png_is_refused():
    data = sample("quyet_dinh", "clean", fmt="png").data
    with pytest.raises(DigitizerError) as err:
        pages_of(data[: len(data) // 2])
    assert err.value.kind == "truncated"
