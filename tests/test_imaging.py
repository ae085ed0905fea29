import cv2
import numpy as np
import pytest

from digitizer.imaging.clean import clean_page
from digitizer.imaging.display import is_bilevel
from digitizer.imaging.grey import reading_grey
from digitizer.imaging.resolution import letter_height
from digitizer.model import SourcePage
from samples.degrade import quarter_turn, rotate
from samples.layout import layout
from samples.render import rasterize
from samples.content import make_document

import random


def page(image: np.ndarray, dpi: float = 300, inferred: bool = False) -> SourcePage:
    h, w = image.shape[:2]
    return SourcePage(1, image, dpi, w * 72 / dpi, h * 72 / dpi, dpi_inferred=inferred)


CLEAN = rasterize(layout(make_document("quyet_dinh", random.Random(4)), "tinos"))


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_orientation_is_undone(turn):
    result = clean_page(page(quarter_turn(CLEAN, turn)))
    assert (result.turn + turn) % 360 == 0
    assert result.display.shape[:2] == CLEAN.shape[:2]


@pytest.mark.parametrize("skew", [-10.0, -4.5, 2.5, 10.0])
def test_skew_is_measured_and_removed(skew):
    result = clean_page(page(rotate(CLEAN, skew)))
    assert result.turn == 0
    assert abs(result.skew - skew) < 0.3


def test_red_and_blue_ink_fade_but_black_stays():
    rgb = np.full((10, 30, 3), 255, np.uint8)
    rgb[:, :10] = (210, 40, 50)        # seal red
    rgb[:, 10:20] = (40, 60, 190)      # signature blue
    rgb[:, 20:] = (20, 20, 20)         # printed black
    grey = reading_grey(rgb, 300)
    assert grey[0, 5] > 200 and grey[0, 15] > 180 and grey[0, 25] < 40


def test_a_seal_ring_blurred_dark_over_a_letter_fades_but_black_under_it_stays():
    # A 100-DPI JPEG halves colour: where a seal's ring crosses a letter it turns dark red,
    # which the brightest channel alone would leave as a grey stroke through the letter.
    rgb = np.array([[(150, 60, 60), (70, 40, 40), (60, 55, 55)]], np.uint8)
    grey = reading_grey(rgb, 100)
    assert grey[0, 0] >= 190                       # the ring's dark red: paper, near enough
    assert grey[0, 1] < 100 and grey[0, 2] < 100   # the letter under the seal, and beside it


def test_a_line_printed_in_red_is_read_but_a_seal_and_its_centre_line_fade():
    # At 300 DPI: an ID card's title in red capitals (0.14 in tall); a seal's ring 1.5 in
    # across, with its commune's name printed straight across its centre.
    rgb = np.full((900, 1200, 3), 255, np.uint8)
    red = (200, 40, 40)
    cv2.putText(rgb, "CAN CUOC CONG DAN", (50, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.4, red, 4)
    cv2.circle(rgb, (600, 550), 225, red, 8)
    cv2.putText(rgb, "XA SON DONG", (470, 565), cv2.FONT_HERSHEY_SIMPLEX, 1.0, red, 3)
    grey = reading_grey(rgb, 300)
    title, seal = rgb[60:105, 50:700].min(axis=2) < 100, rgb[300:800, 370:830].min(axis=2) < 100
    assert np.percentile(grey[60:105, 50:700][title], 95) < 140    # read by its lightness, as print
    assert grey[300:800, 370:830][seal].min() > 180               # faded, ring and centre line


def test_dark_scanner_border_is_cropped_from_both_images():
    bordered = CLEAN.copy()
    bordered[:, :200] = 20
    bordered[:150] = 30
    result = clean_page(page(bordered))
    assert result.display.shape[1] < CLEAN.shape[1] - 150
    assert result.reading[:20].min() == 255   # no black band left for Tesseract


def test_reading_image_is_white_paper_with_grey_ink():
    shaded = (CLEAN.astype(np.float32) * np.linspace(0.6, 0.95, CLEAN.shape[1])[None, :]).astype(np.uint8)
    result = clean_page(page(shaded))
    paper = result.reading[result.reading > 128]
    assert np.median(paper) == 255
    assert result.reading.min() < 60


def test_display_keeps_colour_and_greyness():
    rgb = np.dstack([CLEAN, CLEAN, CLEAN]).copy()
    rgb[1000:1100, 1000:1100] = (200, 30, 40)
    result = clean_page(page(rgb))
    assert result.display.ndim == 3 and not result.bilevel
    grey_scan = clean_page(page(np.clip(CLEAN.astype(int) - 30, 0, 255).astype(np.uint8)))
    assert grey_scan.display.ndim == 2 and 200 < np.median(grey_scan.display) < 240   # grey paper stays grey


def test_fax_pages_stay_black_and_white():
    fax = np.where(rotate(CLEAN, 1.5) < 128, 0, 255).astype(np.uint8)
    assert is_bilevel(fax)
    result = clean_page(page(fax))
    assert result.bilevel and is_bilevel(result.display)


def test_a_forms_dotted_blanks_go_but_its_labels_and_tone_marks_stay():
    from PIL import Image, ImageDraw

    from digitizer.imaging.binarize import find_rules
    from samples.layout import pil_font

    image = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(image)
    font = pil_font("/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf", 40)
    draw.text((20, 60), "Họ và tên: " + "." * 90, font=font, fill=0, anchor="ls")
    draw.text((20, 150), "Nghị định ị ị ị ị ị ị ị ị ị ị ị ị ị ạ ạ ạ ạ ạ", font=font, fill=0, anchor="ls")
    binary = np.asarray(image).copy()
    label_end = int(font.getlength("Họ và tên:")) + 20
    out = find_rules(binary, 225).image
    assert (out[:80, label_end + 20:] == 0).sum() == 0                       # the dots are gone
    assert (out[:80, :label_end] == 0).sum() >= 0.97 * (binary[:80, :label_end] == 0).sum()   # the label stays
    assert (out[90:] == 0).sum() == (binary[90:] == 0).sum()                # dots under letters stay


def test_pen_ink_is_not_read_but_shown_and_found():
    """A form filled in with a blue pen: the reading image has only the print, the display
    keeps the writing, and the writing's region is given; a page printed in blue is print."""
    from digitizer.config import LimitSettings
    from digitizer.intake import load_pages
    from samples.kinds import page_kind

    sample = page_kind("form", 2)
    page = next(iter(load_pages(sample.data, LimitSettings())[1]))
    clean = clean_page(page, 225)
    scale = 225 / 72
    name_box = [v * scale for v in sample.truth["hand_boxes"]["person_name"]]
    x0, y0, x1, y1 = (int(v) for v in name_box)
    assert (clean.reading[y0:y1, x0:x1] < 128).mean() < 0.005              # not in what Tesseract reads
    display = clean.display[int(y0 * clean.display_dpi / 225):int(y1 * clean.display_dpi / 225),
                            int(x0 * clean.display_dpi / 225):int(x1 * clean.display_dpi / 225)]
    assert ((display[..., 2].astype(int) - display[..., 0]) > 60).sum() > 100    # shown in blue
    assert len(clean.hand) >= 5 and any(h[0] <= x0 + 10 and h[2] >= x1 - 10 and h[1] <= y1 and h[3] >= y0
                                        for h in clean.hand)
    blue_print = page.image.copy()
    ink = blue_print.min(axis=2) < 128
    blue_print[ink] = (30, 40, 140)                                         # everything printed in blue
    assert clean_page(SourcePage(1, blue_print, page.dpi, page.width_pt, page.height_pt), 225).hand == []


def test_ruled_lines_and_dotted_blanks_are_shown_though_not_read():
    from PIL import Image, ImageDraw

    from samples.layout import pil_font

    image = Image.new("L", (1700, 600), 255)
    draw = ImageDraw.Draw(image)
    font = pil_font("/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf", 50)
    draw.text((100, 200), "Độc lập - Tự do - Hạnh phúc", font=font, fill=0, anchor="ls")
    draw.line([(100, 230), (900, 230)], fill=0, width=3)
    draw.text((100, 400), "Họ và tên: " + "." * 60, font=font, fill=0, anchor="ls")
    clean = clean_page(SourcePage(1, np.asarray(image), 300, 408, 144), 225)
    scale = clean.display_dpi / 300

    def dark(picture: np.ndarray, y0: int, y1: int, x0: int, x1: int, factor: float) -> int:
        return int((picture[int(y0 * factor):int(y1 * factor), int(x0 * factor):int(x1 * factor)] < 128).sum())

    assert dark(clean.display, 226, 236, 300, 800, scale) > 500          # the rule is in the PDF's image
    assert dark(clean.reading, 226, 236, 300, 800, 225 / 300) == 0       # and not read
    assert dark(clean.display, 385, 405, 500, 1500, scale) > 200         # so are the dots
    assert dark(clean.reading, 385, 405, 500, 1500, 225 / 300) == 0


def test_a_cards_blue_print_is_read_not_taken_for_a_pen():
    """A line cropped from an ID card, its label printed blue, the value black: too small to be
    a form filled in by hand, so all of it is read."""
    from PIL import Image, ImageDraw

    from samples.layout import pil_font

    card = Image.new("RGB", (520, 48), (222, 236, 230))
    draw = ImageDraw.Draw(card)
    draw.text((8, 34), "Họ và tên / Full name:", font=pil_font("/usr/share/fonts/truetype/croscore/Arimo-Regular.ttf",
                                                              20), fill=(40, 60, 170), anchor="ls")
    draw.text((250, 34), "TRẦN VĂN AN", font=pil_font("/usr/share/fonts/truetype/croscore/Arimo-Bold.ttf", 24),
              fill=(20, 20, 20), anchor="ls")
    pixels = np.asarray(card)
    clean = clean_page(SourcePage(1, pixels, 72, 520, 48, dpi_inferred=True), 225)
    label = clean.reading[:, : int(clean.reading.shape[1] * 0.45)]
    assert clean.hand == [] and (label < 200).sum() > 300


def test_components_are_labelled_as_opencvs_default_labels_them():
    """The faster algorithm is chosen for speed only: the same labels, boxes and areas."""
    import cv2
    from digitizer.imaging.binarize import binarize, components

    ink = cv2.compare(binarize(reading_grey(rotate(CLEAN, 1.5), 300)), 128, cv2.CMP_LT)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    fast_labels, fast_stats = components(ink)
    assert count > 300 and np.array_equal(fast_labels, labels) and np.array_equal(fast_stats, stats)



def test_ink_no_word_was_read_from_is_found_as_lines_a_label_and_its_handwriting_one():
    import cv2
    from digitizer.imaging.unread import unread_lines

    page = np.full((1000, 1500), 255, np.uint8)
    cv2.putText(page, "Ngay sinh: 12/05/1998", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)    # read
    cv2.putText(page, "So CCCD:", (100, 400), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)                 # not read...
    cv2.putText(page, "0790", (420, 385), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.6, 0, 3)             # ...nor its value
    cv2.circle(page, (1200, 700), 150, 0, 4)                                                      # a seal: no line
    page[800:803, 100:103] = 0                                                                    # a speck
    read = [(90, 160, 700, 215)]
    [(x0, y0, x1, y1)] = unread_lines(page, read, 225)
    assert x0 <= 110 and x1 >= 520 and y0 <= 360 and 400 <= y1 <= 420


def test_a_forms_dotted_blanks_are_found_where_a_pen_crossed_them_too():
    """Every leader's place is kept, bare or written over: where a stroke crosses one, it
    joins its dots into a letter, and the leader comes in two pieces."""
    from PIL import Image, ImageDraw

    from digitizer.imaging.binarize import find_rules
    from samples.layout import pil_font

    image = Image.new("L", (1400, 300), 255)
    draw = ImageDraw.Draw(image)
    font = pil_font("/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf", 40)
    draw.text((20, 60), "Họ và tên: " + "." * 90, font=font, fill=0, anchor="ls")
    draw.text((20, 150), "Ngày sinh: " + "." * 90, font=font, fill=0, anchor="ls")
    draw.line([(500, 110), (700, 160)], fill=0, width=6)          # a pen's stroke through the second leader
    draw.text((20, 250), "Nghị định Bình Định, Hà Tĩnh, Nguyễn Thị Ngọc Diệp", font=font, fill=0, anchor="ls")
    leaders = find_rules(np.asarray(image).copy(), 225).leaders
    first = [box for box in leaders if box[1] < 80]
    second = sorted(box for box in leaders if 80 < box[1] < 180)
    # From the label's colon (its dot is the leader's first) to the last dot.
    assert len(first) == 1 and abs(first[0][0] - 20 - font.getlength("Họ và tên:")) < 30 and first[0][2] > 1000
    assert len(second) == 2 and abs(second[0][0] - 20 - font.getlength("Ngày sinh:")) < 30
    assert second[0][2] < 660 < second[1][0] and second[1][2] > 1000      # parted where the stroke crosses
    assert not [box for box in leaders if box[1] > 180]


def test_letters_printed_in_dots_measure_as_tall_as_solid_ones():
    # A dot-matrix receipt: each letter is dots a pixel apart; measured dot by dot, its
    # text would seem a third of its size and be enlarged threefold before reading.
    solid = np.full((400, 1400), 255, np.uint8)
    for row in range(4):
        cv2.putText(solid, "SEXYLOOK MAT NA 39.000", (20, 80 + 90 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 5)
    dots = solid.copy()
    dots[::5, :] = 255          # every fifth row and column of pixels left blank: dots of 4 x 4
    dots[:, ::5] = 255
    tall = letter_height(solid == 0)
    assert tall is not None and abs(letter_height(dots == 0) - tall) <= 0.25 * tall


@pytest.mark.parametrize("speckled", [False, True])
def test_rules_found_in_the_despeckling_labels_are_the_rules_found_afresh(speckled):
    """Where the despeckling erased nothing, the rules are found in the components it
    labelled; they must be the rules `find_rules` finds in the despeckled page itself, and
    where it erased specks, the page is labelled again."""
    from PIL import Image, ImageDraw

    from digitizer.imaging.binarize import binarize, despeckle, despeckled_rules, find_rules
    from samples.layout import pil_font

    image = Image.fromarray(CLEAN)          # a decision's ruled header line, and a form's blank
    ImageDraw.Draw(image).text((250, 3000), "Họ và tên: " + "." * 60, fill=0, anchor="ls",
                               font=pil_font("/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf", 50))
    grey = np.asarray(image).copy()
    if speckled:
        grey[np.random.default_rng(5).random(grey.shape) < 0.005] = 0
    binary = binarize(grey)
    despeckled, ruled = despeckled_rules(binary, 300)
    assert (despeckled is binary) is not speckled      # each path taken
    expected = find_rules(despeckle(binary, 300), 300)
    assert np.array_equal(despeckled, despeckle(binary, 300))
    assert np.array_equal(ruled.image, expected.image) and ruled.leaders == expected.leaders
    assert ruled.leaders             # the form's dotted blanks, found either way
