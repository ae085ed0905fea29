"""PDF/A-2 from the searchable PDF, written part by part with pikepdf (docs/pdfa.md).

The PDF digitizer builds (page images, the embedded glyphless font with its ToUnicode map)
has nothing PDF/A forbids; what it lacks is the identification and the colour space the
images are meant in: an sRGB output intent and XMP metadata saying "PDF/A-2". Pages copied
from a born-digital input may bring what PDF/A forbids (fonts not embedded, JavaScript, ...):
such a file goes through Ghostscript's PDF/A-2 writer first, as OCRmyPDF does, and what is
still wrong after it is recorded, not hidden.
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pikepdf
from pikepdf import Dictionary, Name

from .. import __version__
from ..model import Record

log = logging.getLogger(__name__)

# Ghostscript's sRGB profile (ICC v2, which every PDF/A-2 reader accepts), as OCRmyPDF uses.
SRGB_PROFILE = Path("/usr/share/color/icc/ghostscript/srgb.icc")
GHOSTSCRIPT_SECONDS = 300.0

# What PDF/A-2 (ISO 19005-2) forbids, as it can be read from the objects.
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
                     "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
FORBIDDEN_ANNOTATIONS = {"/Sound", "/Movie", "/Screen", "/3D", "/RichMedia"}
STANDARD_BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
                        "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
                        "/Hue", "/Saturation", "/Color", "/Luminosity"}
STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"}
PRINT, HIDDEN, NO_VIEW, INVISIBLE = 4, 2, 32, 1      # annotation flags (PDF 32000-1, 12.5.3)


@dataclass
class PdfaMeta:
    """The document's key fields, for its XMP metadata."""
    title: str                       # type, number and subject
    creator: str = ""                # the issuer
    subject: str = ""
    date: str = ""                   # the issue date, ISO
    keywords: list[str] = field(default_factory=list)
    tool: str = f"digitizer {__version__}"

    @classmethod
    def of(cls, record: Record) -> PdfaMeta:
        """Title from the type, number and subject ("Quyết định số 245/QĐ-UBND, Về việc …"); the
        file's name where none was read."""
        def value(name: str) -> str:
            found = record.fields.get(name)
            return found.value if found else ""
        number = value("doc_number")
        title = ", ".join(part for part in (
            " ".join(p for p in (record.doc_type.value if record.doc_type else "", f"số {number}" if number else "")
                     if p), value("subject")) if part)
        return cls(title or record.source.name, value("issuer"), value("subject"), value("issue_date"),
                   [k for k in (number, value("dossier_code")) if k])


@dataclass
class Pdfa:
    pdf: bytes
    level: str | None                # "2u" | "2b"; None: not PDF/A (see problems)
    problems: list[str] = field(default_factory=list)


def _dicts(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    for obj in pdf.objects:
        if isinstance(obj, Dictionary):
            yield obj
        elif isinstance(obj, pikepdf.Stream):
            yield obj.stream_dict


def _font_problem(font: Dictionary) -> str | None:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return None
    descendants = font.get("/DescendantFonts")
    described = descendants[0] if subtype == "/Type0" and isinstance(descendants, pikepdf.Array) and \
        len(descendants) else font
    descriptor = described.get("/FontDescriptor") if isinstance(described, Dictionary) else None
    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return f"font {font.get('/BaseFont', '?')} is not embedded"
    return None


def _unicode_mapped(font: Dictionary) -> bool:
    """Whether every character of the font maps to Unicode (what 2u adds to 2b)."""
    if "/ToUnicode" in font:
        return True
    return font.get("/Subtype") in ("/Type1", "/TrueType") and font.get("/Encoding") in STANDARD_ENCODINGS


def problems(pdf: pikepdf.Pdf) -> list[str]:
    """What the file holds that PDF/A-2 forbids (one line each, the same kind once)."""
    found: list[str] = []
    if pdf.is_encrypted:
        found.append("encrypted")
    if "/JavaScript" in pdf.Root.get("/Names", {}) or "/AA" in pdf.Root:
        found.append("scripts or actions run on opening")
    if "/EmbeddedFiles" in pdf.Root.get("/Names", {}):
        found.append("embedded files")
    for d in _dicts(pdf):
        kind = d.get("/Type")
        if kind == "/Font":
            found.append(_font_problem(d) or "")
        if d.get("/S") in FORBIDDEN_ACTIONS:
            found.append(f"action {d.S}")
        if kind == "/Annot" or "/Subtype" in d and "/Rect" in d:
            flags = int(d.get("/F", 0))
            if d.get("/Subtype") in FORBIDDEN_ANNOTATIONS:
                found.append(f"annotation {d.Subtype}")
            elif d.get("/Subtype") != "/Popup" and (not flags & PRINT or flags & (HIDDEN | NO_VIEW | INVISIBLE)):
                found.append("an annotation that does not print")
        if "/F" in d and "/Length" in d:
            found.append("external content")
        if "/LZWDecode" in str(d.get("/Filter", "")):
            found.append("LZW compression")
        if "/TR" in d or d.get("/TR2", "/Default") != "/Default":
            found.append("transfer functions")
        if "/BM" in d and str(d.BM) not in STANDARD_BLEND_MODES and not isinstance(d.BM, pikepdf.Array):
            found.append(f"blend mode {d.BM}")
        if "/OPI" in d or "/Alternates" in d or d.get("/Subtype") == "/PS":
            found.append("PostScript or alternate images")
    return sorted(set(p for p in found if p))


def _without_interpolation(pdf: pikepdf.Pdf) -> None:
    """An image asking to be smoothed is refused by PDF/A; the flag is only a hint."""
    for d in _dicts(pdf):
        if d.get("/Subtype") == "/Image" and d.get("/Interpolate"):
            del d["/Interpolate"]


def _output_intent(pdf: pikepdf.Pdf) -> None:
    profile = pikepdf.Stream(pdf, SRGB_PROFILE.read_bytes())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier="sRGB IEC61966-2.1",
        RegistryName="http://www.color.org", Info="sRGB IEC61966-2.1", DestOutputProfile=profile)])


def _metadata(pdf: pikepdf.Pdf, meta: PdfaMeta, level: str) -> None:
    now = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]       # written again from the XMP below, so that both agree
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["pdfaid:part"] = level[0]
        xmp["pdfaid:conformance"] = level[1].upper()
        xmp["dc:title"] = meta.title
        if meta.creator:
            xmp["dc:creator"] = [meta.creator]
        if meta.subject:
            xmp["dc:description"] = meta.subject
        if meta.date:
            xmp["dc:date"] = [meta.date]
        if meta.keywords:
            xmp["pdf:Keywords"] = ", ".join(meta.keywords)
        xmp["pdf:Producer"] = xmp["xmp:CreatorTool"] = meta.tool
        xmp["xmp:CreateDate"] = xmp["xmp:ModifyDate"] = xmp["xmp:MetadataDate"] = now


def _ghostscript(data: bytes) -> bytes:
    """Ghostscript's PDF/A-2 writer: embeds the fonts a born-digital page left out, drops
    what PDF/A forbids."""
    with tempfile.TemporaryDirectory(prefix="digitizer-pdfa-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(data)
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dPDFA=2",
                        "-dPDFACompatibilityPolicy=1", "-sColorConversionStrategy=RGB",
                        f"-sOutputFile={target}", str(source)],
                       check=True, capture_output=True, timeout=GHOSTSCRIPT_SECONDS)
        return target.read_bytes()


def to_pdfa(data: bytes, meta: PdfaMeta) -> Pdfa:
    """The PDF as PDF/A-2u (2b where a copied page's font does not map to Unicode); the
    PDF unchanged with the reasons when it cannot be made PDF/A."""
    try:
        return _converted(data, meta)
    except Exception as exc:   # a damaged object copied from the input (qpdf, or a malformed font)
        log.info("PDF/A conversion failed: %s: %s", type(exc).__name__, exc)
        return Pdfa(data, None, [f"not made PDF/A: {type(exc).__name__}: {exc}"[:300]])


def _converted(data: bytes, meta: PdfaMeta) -> Pdfa:
    """Read once when the file breaks nothing PDF/A forbids (digitizer's own pages); read
    again after Ghostscript when it does."""
    pdf = pikepdf.open(io.BytesIO(data))
    try:
        wrong = problems(pdf)
        if wrong:
            pdf.close()
            log.info("PDF/A: %s; converting with Ghostscript", "; ".join(wrong))
            try:
                data = _ghostscript(data)
            except (OSError, subprocess.SubprocessError) as exc:
                return Pdfa(data, None, wrong + [f"Ghostscript: {exc}"])
            pdf = pikepdf.open(io.BytesIO(data))
            wrong = problems(pdf)
            if wrong:
                return Pdfa(data, None, wrong)
        _without_interpolation(pdf)
        fonts = [d for d in _dicts(pdf) if d.get("/Type") == "/Font"
                 and d.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2")]     # a Type0's own part
        level = "2u" if all(_unicode_mapped(f) for f in fonts) else "2b"
        _output_intent(pdf)
        _metadata(pdf, meta, level)
        out = io.BytesIO()
        pdf.save(out)
        return Pdfa(out.getvalue(), level)
    finally:
        pdf.close()
