"""Is a stored PDF signed, by whom, and unchanged since? (`digitizer verify`, the document page.)"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import SignatureInfo
from .signatures import SIGNED, read_signatures


@dataclass
class Verdict:
    ok: bool                               # signed, and no byte changed since
    message: str                           # one line, for the operator and the clerk
    signature: SignatureInfo | None = None


def verify_pdf(pdf: bytes) -> Verdict:
    """The last signature of the file must verify and cover the whole file: bytes changed
    inside the signed range, or added after it, are an alteration."""
    signatures = read_signatures(pdf)
    if not signatures:
        if SIGNED in pdf:
            return Verdict(False, "ALTERED: the signature can no longer be read (the file was damaged or changed)")
        return Verdict(False, "not signed")
    last = signatures[-1]
    who = f"{last.signer}" + (f" ({last.organization})" if last.organization else "")
    when = f" at {last.signed_at}" if last.signed_at else ""
    if not last.intact or not last.valid:
        return Verdict(False, f"ALTERED: the signed bytes changed since {who} signed{when}", last)
    if last.covers != "whole file":
        return Verdict(False, f"ALTERED: changes were added after {who} signed{when}", last)
    return Verdict(True, f"signed by {who}{when}; intact", last)
