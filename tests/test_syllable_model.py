"""The syllable bigram model: rebuilt from a named source, read back, and its choices."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from importlib.resources import files

from digitizer.extract.syllable_model import BigramModel, canonical, choose_reading, language_model
from digitizer.extract.tones import known_words
from digitizer.model import Doubt

ROOT = Path(__file__).resolve().parent.parent

STATE_DOCUMENT = """**ỦY BAN NHÂN DÂN**
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|

Căn cứ Luật Tổ chức chính
quyền địa phương; căn cứ dự toán chi phí năm nay.

Dự toán chi phí; chi phí hợp lý. Hoà bình, hòa bình. Ủy ban nhân dân và chính
quyền cấp xã.
"""
ARTICLE = "Hỏi đáp: dự toán chỉ phí chỉ phí chỉ phí là gì?\n"   # no motto: not a state document


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_the_model_is_rebuilt_from_the_state_documents_of_a_named_revision(tmp_path):
    repo = tmp_path / "source"
    folder = repo / "src" / "etl" / "dataset"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(STATE_DOCUMENT, encoding="utf-8")
    (folder / "b.md").write_text(ARTICLE, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "0")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "docs")
    revision = _git(repo, "rev-parse", "HEAD").strip()
    out = tmp_path / "model.tsv.gz"
    build = [sys.executable, str(ROOT / "scripts" / "build_language_model.py"), str(repo / ".git"),
             "--revision", revision, "--output", str(out)]
    subprocess.run(build, check=True, capture_output=True)
    lines = gzip.decompress(out.read_bytes()).decode("utf-8").splitlines()
    assert lines[0].split("\t")[2] == revision and lines[1] == "# documents\t1"
    counts = {tuple(line.split("\t")[:2]): int(line.split("\t")[2]) for line in lines if not line.startswith("#")}
    assert counts[("2", "chi phí")] == 3            # the article's "chỉ phí" is not counted
    assert ("2", "chỉ phí") not in counts
    assert counts[("2", "chính quyền")] == 2        # a line wrapped inside a paragraph is joined
    assert counts[("2", "hòa bình")] == 2           # old and new tone placement are one syllable
    assert ("2", "phí chi") not in counts           # ';' ends a run of syllables
    assert ("2", "hợp lý") not in counts            # seen once: left out
    first = out.read_bytes()
    subprocess.run(build, check=True, capture_output=True)
    assert out.read_bytes() == first                # the same source gives the same bytes


def test_probabilities_are_a_distribution_with_room_for_the_unseen():
    counts = ["1\tchi\t10", "1\tphí\t8", "1\tchỉ\t5", "1\tđạo\t4", "2\tchi phí\t7", "2\tchỉ đạo\t4"]
    model = BigramModel.parse(counts, words=[("chi", "tiêu")])
    vocabulary = [*model.unigrams, "xyz"]
    assert abs(sum(model.bigram("chi", s) for s in model.unigrams) - 1) < 0.05
    assert model.bigram("chi", "phí") > 5 * model.bigram("chỉ", "phí") > 0
    assert model.bigram("chi", "tiêu") > 3 * BigramModel.parse(counts).bigram("chi", "tiêu")  # a word counts
    assert all(model.bigram("chi", s) > 0 for s in vocabulary)


def test_the_language_model_chooses_among_the_readings_tesseract_weighed():
    # "phổ thông": ổ was weighed beside the ô Tesseract chose, and the documents print "phổ thông".
    assert choose_reading("phô", (Doubt("phỏ", 0.3), Doubt("phổ", 0.37)), "học", "thông") == "phổ"
    assert choose_reading("chỉ", (Doubt("chi", 0.4),), "toán", "phí") == "chi"
    # "địa bàn tỉnh Quảng Ngãi": neither "bàn tính" nor "tĩnh" beats the reading chosen.
    assert choose_reading("tỉnh", (Doubt("tính", 0.4), Doubt("tĩnh", 0.4)), "bàn", "Quảng") is None
    # The reading chosen sits well already; a doubt Tesseract all but ruled out is not taken.
    assert choose_reading("chuyển", (Doubt("chuyền", 0.4),), "phải", "đổi") is None
    assert choose_reading("phô", (Doubt("phổ", 1e-6),), "học", "thông") is None
    # Punctuation stays; a doubt that changes a digit or a sign is not a spelling's.
    assert choose_reading("phô,", (Doubt("phổ,", 0.4),), "học", "thông") == "phổ,"
    assert choose_reading("phô", (Doubt("ph6", 0.9),), "học", "thông") is None


def test_the_language_model_says_where_it_came_from_and_prefers_administrative_text():
    header = gzip.decompress(files("digitizer.extract").joinpath("data", "syllable_bigrams.tsv.gz").read_bytes())
    source = header.decode().splitlines()[0].split("\t")
    assert source[1] == "github.com/tnt305/tai_lieu_noi_bo" and len(source[2]) == 40
    model = language_model()
    assert model.bigram("phổ", "thông") > 100 * model.bigram("phô", "thông")
    assert model.bigram(canonical("Hoà"), "bình") == model.bigram("hòa", "bình")     # old tone placement
    assert 0 < model.bigram("xyzzy", "thông") < model.bigram("phổ", "thông")        # unseen: rare, not impossible


def test_known_words_tell_a_reading_of_text_from_a_reading_of_noise():
    # A thermal receipt printed without marks, read cleanly and read broken by a cleanup.
    assert known_words(["239", "Xuan", "Thuy,", "P.Dich", "Vong,", "24,000"]) == 5
    assert known_words(["239", "Yuar", "Ihu;,", "fÊa¿", "6iay,", "?4,00u"]) == 1
    # An identity card's English labels are text too: "Full name:" reads no worse than "Full nan:".
    card = ["Họ", "và", "tên", "/", "Full"]
    assert known_words([*card, "name:"]) == known_words([*card, "nan:"]) == 5
