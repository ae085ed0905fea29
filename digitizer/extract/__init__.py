"""Key fields of Vietnamese administrative documents (design §3)."""

from __future__ import annotations

from dataclasses import replace

from ..model import Field, PageResult
from .checks import id_number_problem, phone_ok
from .syllable_model import language_model
from ..layout.labels import LABELS
from .fields import doc_number, doc_type, issue_date_and_place, issuer, labelled_field, signer, subject
from .lines import TextLine, page_lines
from .spelling import respell as respell
from .tones import Usage, bare_syllables, lexicon, syllable_frequencies
from .vocabulary import places


def extract_from_lines(lines: list[TextLine]) -> tuple[Field | None, dict[str, Field]]:
    if not lines:
        return None, {}
    fields: dict[str, Field | None] = {}
    fields["doc_number"] = doc_number(lines)
    kind = doc_type(lines, fields["doc_number"])
    fields["issue_date"], fields["place"] = issue_date_and_place(lines)
    fields["issuer"] = issuer(lines)
    fields["subject"] = subject(lines, Usage.of("\n".join(line.text for line in lines)))
    fields["signer"] = signer(lines)
    for name in LABELS:
        fields[name] = labelled_field(lines, name)
    _check(fields)
    return kind, {k: v for k, v in fields.items() if v is not None}


def _check(fields: dict[str, Field | None]) -> None:
    """Values that fail their check are dropped, or kept with a low confidence where the
    value is still more likely right than not. A handwritten value has none to check yet."""
    read = {name: f for name, f in fields.items() if f is not None and not f.hand}
    id_field, birth = read.get("id_number"), read.get("birth_date")
    if id_field is not None:
        problem = id_number_problem(id_field.value, birth.value if birth else None)
        if problem == "does not agree with the birth date":
            id_field.confidence = round(min(id_field.confidence, 0.3), 3)
            if birth is not None:
                birth.confidence = round(min(birth.confidence, 0.5), 3)
        elif problem is not None:
            fields["id_number"] = None
    phone = read.get("phone")
    if phone is not None and not phone_ok(phone.value):
        fields["phone"] = None


def load_vocabularies() -> None:
    """Read the word lists, the language model and the place registry now (about 0.6 s), at a
    worker's start rather than inside its first document's timing."""
    lexicon()
    bare_syllables()
    syllable_frequencies()
    language_model()
    places()


def opening_fields(page: PageResult) -> tuple[Field | None, Field | None]:
    """What the stack splitter asks of every page, read as a document's first page: its type
    (from a printed title, else its number) and a printed Mã hồ sơ. Only these two rules run:
    a document's own fields are extracted once, when its pages are known."""
    lines = page_lines([replace(page, number=1)])
    return doc_type(lines, doc_number(lines)), labelled_field(lines, "dossier_code")


def extract_fields(pages: list[PageResult]) -> tuple[Field | None, dict[str, Field]]:
    """Document type and key fields, each with a confidence, a page and a box in points."""
    return extract_from_lines(page_lines(pages))
