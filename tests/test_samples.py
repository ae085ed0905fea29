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
