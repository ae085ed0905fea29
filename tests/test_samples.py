import unicodedata

from samples import DEGRADATIONS, KINDS, corpus, generate
from samples.score import cer, substring_distance


def test_generation_is_deterministic():
    a = generate("quyet_dinh", "noisy", 5)
    b = generate("quyet_dinh", "noisy", 5)
    assert a.data == b.data and a.truth == b.truth


def test_every_kind_has_nfc_ground_truth_and_fields():
    for kind in KINDS:
        s = generate(kind, "clean", 2, fmt="png")
        text = s.truth["pages"][0]
        assert text == unicodedata.normalize("NFC", text)
        assert s.truth["fields"]["doc_type"]
        assert len(s.truth["lines"][0]) > 8


def test_corpus_covers_every_degradation():
    seen = {s.truth["degradation"] for s in corpus(len(DEGRADATIONS), 0)}
    assert seen == set(DEGRADATIONS)


def test_substring_distance_counts_edits_wherever_the_line_is():
    assert substring_distance("Độc lập", "xx Độc lập yy") == 0
    assert substring_distance("Độc lập", "xx Đọc lập yy") == 1
    assert substring_distance("abc", "") == 3
    assert cer(["Số: 12/QĐ-UBND"], "Số: 12/QD-UBND") == 1 / 14


def test_page_kinds_are_reproducible_and_carry_their_truth():
    from samples.kinds import KINDS as PAGE_KINDS, page_kind

    for kind in PAGE_KINDS:
        one, again = page_kind(kind, 3), page_kind(kind, 3)
        assert one.data == again.data and one.truth == again.truth and one.truth["pages"][0].strip()
    form = page_kind("form", 3)
    assert set(form.truth["hand"]) == set(form.truth["hand_boxes"]) == {
        "person_name", "birth_date", "id_number", "address", "phone"}
    assert all(v not in form.truth["pages"][0] for v in form.truth["hand"].values())   # the truth is the print
    assert all(0 < x0 < x1 < 595 and 0 < y0 < y1 < 842 for x0, y0, x1, y1 in form.truth["hand_boxes"].values())

    card = page_kind("id_copy", 3)
    text, fields = card.truth["pages"][0], card.truth["fields"]
    assert fields["doc_type"] == "Căn cước công dân" and f"Số / No.: {fields['id_number']}" in text
    assert fields["person_name"].upper() in text
    *_, mrz1, mrz2, mrz3 = text.splitlines()            # the back's machine-readable zone, ICAO 9303 TD1
    assert [len(line) for line in (mrz1, mrz2, mrz3)] == [30, 30, 30] and fields["id_number"] in mrz1
    assert mrz2[:6] == fields["birth_date"][2:].replace("-", "")
