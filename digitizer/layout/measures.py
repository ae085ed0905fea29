"""Every threshold of the page layout, in one place: what it measures, and on which pages it
was set. Lengths are shares of a word's height or of the page, so they hold at any resolution.

"Generated" means the two families of `samples/` (the rule family and the independent one);
"real" means the development letters of `../shared/realworld/` (Quảng Ngãi, Đà Nẵng, Bắc Ninh).
"""

# --- Segments and rows -------------------------------------------------------------------
# A gap this many word heights wide parts two segments of a line. Header columns stand 3-6
# heights apart on generated and real letters; words of a sentence under 1.
GAP_HEIGHTS = 2.5
# A word read with less confidence is doubtful; a segment mostly of doubtful letters is marks
# (a seal's scrawl, a signature, specks). Printed words on real scans read at 0.85-0.97.
NOISE_CONFIDENCE = 0.6
# Segments whose vertical centres agree within this share of the smaller height are one row.
SAME_ROW = 0.5

# --- Text ---------------------------------------------------------------------------------
# A segment is in capitals when more than this share of its letters are (headers, titles, a
# signing title); set on Decree 30 headers, where OCR reads a mark or two in lower case.
CAPITALS = 0.8
# A document type's printed title matches one of its titles at least this well (the letters in
# common, in order, twice over both lengths, on folded letters; one letter lost or misread in
# nine scores 0.89). The best match wins, so "THÔNG CÁO" (0.89 against "thong bao") is still
# Thông cáo.
TITLE_MATCH = 0.88

# --- Blocks (Decree 30/2020's page) --------------------------------------------------------
# Without a title, the header (issuing body, number, motto, place and date) is in this top
# share of the page; the real letters' headers end at 0.18-0.27.
HEADER = 0.3
# Without the motto to mark it, the header's columns part at this share of the width.
HEADER_SPLIT = 0.45
# The left column ends this many points before the motto's first letter.
MOTTO_MARGIN_PT = 4.0
# The motto is among a page's first segments in reading order (the left column's 2-5, then it).
MOTTO_SEGMENTS = 8
# A segment stands beside another when its top is within this share of the other's height.
SAME_LINE = 0.5
# Set under another line as its continuation: centres or left edges within this share of the
# page's width, and at least this many points (generated and real subjects: 0-6 pt).
SAME_COLUMN = 0.017
SAME_COLUMN_MIN_PT = 8.0
# The subject's first line starts within this many title heights below the title; each next
# line within this many line heights of the one before (the body starts further down, at a
# wider gap); letter sizes within this share are one block's (a line's median word height
# moves with its capitals, marks and descenders: 27 and 34 px for one size on a generated
# skewed page). Set on the generated families and the real letters (subjects of 1-3 lines,
# a gap of 1.3-1.9 heights).
SUBJECT_UNDER_TITLE = 2.6
SUBJECT_LINE_GAP = 2.4
SAME_SIZE = 0.3
# A line of this many words or more, at most one of them spelled as Vietnamese, is a translation,
# not a subject: an ID card prints its title's under it ("Citizen Identity Card").
GLOSS_WORDS = 3
# A "V/v" subject without a title (a công văn's) is in this top share of the page.
ABOUT_TOP = 0.4
# The signature block and the recipients sit below the body, each on its side: a text line
# that starts left of RIGHT_HALF of the width and ends right of 1 - RIGHT_HALF is the body's
# (it crosses both columns); the signer's lines start right of RIGHT_HALF.
RIGHT_HALF = 0.4
# A signing title (KT. CHỦ TỊCH, GIÁM ĐỐC …) in capitals has at most this many words; an
# issuing body's name or a sentence in capitals has more.
TITLE_WORDS = 6
# Inside a segment, a gap of this many word heights before a place's name ends it: the
# header's left column read into the date's line ("TỈNH QUẢNG NGÃI Quảng Ngãi, ngày …").
PLACE_GAP = 1.5

# A form's value written by hand, read where no pen colour tells it (layout/handwriting.py).
# Set on the grey forms of samples/kinds.py: their values read at 0.0-0.78 mean confidence;
# printed values on the generated slips, applications and certificates (three kinds, six
# degradations each) at 0.82-0.96; a reception slip's dossier code once at 0.40 (a code is print).
LABEL_WORDS = 4        # a form's label ends with a colon within its line's first words ("Số điện thoại:")
LABEL_LIKENESS = 85    # a label read this like a printed one (rapidfuzz ratio, folded) is that one misread:
                       # a letter lost in ten scores 95 ("noi cu tu"), one wrong in seven 86 ("sø cccd"),
                       # "noi nhan" against "noi cu tru" 56, "so to" against "so cccd" 50
PRINTED = 0.8          # a value read with less mean confidence, mostly in non-words or written over
                       # the row's dotted leader ("....z£ 6/04/1962", "...029180381 905"), is a scrawl
SCRAWL_DOUBT = 0.3     # and with less than this, whatever it holds (hand-written digits read at 0.08)
CODE_DIGITS = 4        # a printed code beside a label has this many digits or more ("H45.65.74-230607-8179");
                       # a grey scrawl's "É2Ô" has fewer
