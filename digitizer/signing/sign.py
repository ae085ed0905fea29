"""The centre's PAdES signature on a stored PDF (pyHanko): baseline B-B, or B-T with a
timestamp server; a visible stamp in Vietnamese in a free margin of the last page. The signed
bytes are read back and verified before they are handed on: nothing half-signed is stored."""

from __future__ import annotations

import io
import logging
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..built import built
from ..config import SettingsError, SignSettings
from ..errors import DigitizerError
from ..model import ErrorKind, Outcome, SignatureInfo
from .signatures import read_signatures
from .stamp import free_spot

if TYPE_CHECKING:
    from pyhanko.stamp import TextStampStyle

    from .keys import CentreKey

log = logging.getLogger(__name__)

FIELD = "ChuKySo-digitizer"
# Vietnamese coverage, embedded (subset) so that the signed file stays PDF/A. Its em is 1000
# units, as pyHanko assumes when it writes the glyph widths (DejaVu's 2048 came out twice too
# wide, letters spread apart, and widths that disagree with the font break PDF/A).
STAMP_FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
# The letters a stamp can hold: ASCII, Latin-1 and Latin Extended-A/B up to ư, the combining
# marks, and the Vietnamese block. pyHanko reads the whole font file for every stamp; reduced to
# these (once, kept built) it costs far less.
STAMP_LETTERS = [*range(0x20, 0x7F), *range(0xC0, 0x1B1), *range(0x300, 0x324), *range(0x1EA0, 0x1EFA)]
STAMP_TEXT = "Ký số bởi: %(signer)s\n%(centre)s\nThời gian ký: %(ts)s"
TIME_FORMAT = "%d/%m/%Y %H:%M:%S %z"
# Room for the signature in the file, in bytes, besides the certificates it embeds: the CMS
# structure, signed attributes and an RSA-4096 value fit in 4 KB; a timestamp token with its
# authority's chain in 8 KB more. Reserved up front, pyHanko need not sign (and ask the
# timestamp server) twice to measure it: a third of a signature's time.
RESERVE = 4096
RESERVE_TIMESTAMP = 8192


def stamp_font(target: Path) -> Path:
    """The stamp's font reduced to the letters a stamp holds, without shaping tables (the
    Vietnamese letters are precomposed), written to `target`; reduced once, kept built."""
    def reduced() -> bytes:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        options = subset.Options()
        options.layout_features = []
        options.drop_tables += ["FFTM"]    # a table fontTools cannot subset (it says so on every stamp)
        font = TTFont(STAMP_FONT)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_LETTERS)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()

    target.write_bytes(built("stamp-font", [STAMP_FONT], reduced))
    return target


def _stamp_style(font: Path, font_size: int) -> TextStampStyle:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    # A long centre name or signer is made smaller to fit, never cut.
    fit = SimpleBoxLayoutRule(AxisAlignment.ALIGN_MIN, AxisAlignment.ALIGN_MID, Margins(4, 4, 3, 3),
                              InnerScaling.SHRINK_TO_FIT)
    return TextStampStyle(stamp_text=STAMP_TEXT, timestamp_format=TIME_FORMAT, border_width=1,
                          inner_content_layout=fit,
                          # the same size to shape and to draw (pyHanko issue 733: else the letters drift apart)
                          text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=font_size),
                                                      font_size=font_size))


def sign_pdf(pdf: bytes, key: CentreKey, settings: SignSettings, font: Path = STAMP_FONT
             ) -> tuple[bytes, SignatureInfo]:
    """The PDF signed, and its signature as read back. DigitizerError (transient) when the
    token, the timestamp server or the certificate fails now: the caller stores nothing.
    `font`: the stamp's (see stamp_font)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    problem = key.problem_now()
    if problem:
        raise DigitizerError(ErrorKind.SIGNING_UNAVAILABLE, problem)
    spot = free_spot(pdf) if settings.stamp else None
    spec = fields.SigFieldSpec(FIELD, on_page=spot[0], box=spot[1]) if spot else fields.SigFieldSpec(FIELD)
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=settings.reason or None,
                                        location=settings.location or None, name=key.holder)
    timestamper = timestamps.HTTPTimeStamper(settings.tsa_url) if settings.tsa_url else None
    signer = signers.PdfSigner(meta, key.signer, timestamper=timestamper,
                               stamp_style=_stamp_style(font, 8) if spot else None, new_field_spec=spec)
    try:
        reserve = RESERVE + key.certificates_size + (RESERVE_TIMESTAMP if timestamper else 0)
        reserve += reserve % 2        # hex digits: an even count
        out = signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=reserve,
                              appearance_text_params={"centre": settings.centre or key.organisation})
    except Exception as exc:   # the token pulled out, the session gone, the timestamp server down
        log.warning("signing failed: %s: %s", type(exc).__name__, exc)
        raise DigitizerError(ErrorKind.SIGNING_UNAVAILABLE, f"{type(exc).__name__}: {exc}"[:300]) from exc
    signed = out.getvalue()
    found = [s for s in read_signatures(signed) if s.field == FIELD]
    if not found or not found[-1].valid or found[-1].covers != "whole file":
        raise DigitizerError(ErrorKind.SIGNING_UNAVAILABLE, "the signature just made does not verify")
    return signed, found[-1]


class CentreSigner:
    """Signs what a process stores with the configured key, opened at first use and opened
    again after a failure (a token pulled out and plugged back in)."""

    def __init__(self, settings: SignSettings) -> None:
        self.settings = settings
        self._key: CentreKey | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="digitizer-stamp-")
        self._font: Path | None = None

    def _open(self) -> CentreKey:
        if self._key is None:
            try:
                from .keys import open_key     # cryptography's x509 (0.03 s) only where a key is set

                self._key = open_key(self.settings)
            except SettingsError as exc:
                raise DigitizerError(ErrorKind.SIGNING_UNAVAILABLE, str(exc)[:300]) from None
            assert self._key is not None, "a CentreSigner is made only when a key is configured"
        return self._key

    def sign(self, outcome: Outcome) -> Outcome:
        """Every PDF of the outcome signed (a stack's documents each), each record saying so."""
        try:
            if outcome.pdf is not None:
                if self._font is None:
                    self._font = stamp_font(Path(self._folder.name) / "stamp.ttf")
                outcome.pdf, signature = sign_pdf(outcome.pdf, self._open(), self.settings, self._font)
                outcome.record.stored_pdf = replace(outcome.record.stored_pdf, signature=signature)
            for part in outcome.parts:
                self.sign(part)
        except DigitizerError:
            self.close()
            raise
        return outcome

    def close(self) -> None:
        if self._key is not None:
            key, self._key = self._key, None
            try:
                key.close()
            except Exception as exc:   # a session the token already dropped
                log.info("closing the signing key: %s", exc)


def centre_signer(settings: SignSettings) -> CentreSigner | None:
    """The signer of this process; None when signing is off."""
    return CentreSigner(settings) if settings.configured else None
