"""The digital signatures an input PDF carries: who signed, when, and whether the signed bytes
are intact (pyHanko). Trust is not judged: no national root certificate is configured, so
`valid` means the signature verifies with its own certificate, not that the signer is trusted."""

from __future__ import annotations

import io
import logging

from ..model import SignatureInfo
from ..text import nfc

log = logging.getLogger(__name__)

# Every signature value dictionary carries the byte range it signs, written out plainly (the
# signer patches it into the file after writing): a file without it holds no signature.
SIGNED = b"/ByteRange"

# pyHanko logs every certificate path it cannot build (all of them, without a trust root) with
# a traceback; what matters of it is in the record.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def _name_part(subject: object, key: str) -> str | None:
    value = getattr(subject, "native", {}).get(key)
    return nfc(str(value)) if value else None


def read_signatures(data: bytes) -> list[SignatureInfo]:
    """Every signature field that holds a signature; [] for unsigned or unreadable files
    (a damaged signature dictionary is no reason to refuse the scan). pyHanko (0.5 s to
    import) is loaded only for a file with a signature's byte range in it."""
    if SIGNED not in data:
        return []
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds on damaged files; MuPDF judges those
        log.info("signatures not readable: %s", exc)
        return []
    found = []
    context = ValidationContext(trust_roots=[], allow_fetching=False)
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, context)
            subject = sig.signer_cert.subject
        except Exception as exc:  # one damaged signature does not hide the others
            log.info("signature %s not readable: %s", sig.field_name, exc)
            continue
        when = status.signer_reported_dt
        stamped = status.timestamp_validity.timestamp if status.timestamp_validity is not None else None
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        found.append(SignatureInfo(
            field=nfc(sig.field_name), signer=_name_part(subject, "common_name") or nfc(subject.human_friendly),
            organization=_name_part(subject, "organization_name"),
            signed_at=when.isoformat() if when else None, intact=bool(status.intact),
            valid=bool(status.intact and status.valid),
            covers="whole file" if whole else "earlier revision",
            modified_after=None if whole or status.modification_level is None else status.modification_level.name,
            timestamp=stamped.isoformat() if stamped else None))
    return found
