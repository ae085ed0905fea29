"""Checks that catch OCR errors instead of passing them on."""

from __future__ import annotations

import datetime as dt
import re

# Province codes of the personal identification number (Circular 59/2021/TT-BCA, 63 provinces).
PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
    "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
    "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
    "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
    "089", "091", "092", "093", "094", "095", "096"})

# Letters OCR reads in place of digits inside numbers.
DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1",
                                  "|": "1", "!": "1", "Z": "2", "S": "5", "s": "5", "B": "8", "G": "6",
                                  "g": "9", "T": "7"})


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text.translate(DIGIT_LOOKALIKES))


def calendar_date(year: int, month: int, day: int) -> str | None:
    """ISO date if it exists in the calendar and is plausible for a document, else None."""
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def id_number_problem(number: str, birth_date: str | None = None) -> str | None:
    """Why a 12-digit personal id (or a 9-digit old id card) cannot be right, or None."""
    if len(number) == 9:
        return None
    if len(number) != 12:
        return "not 12 digits"
    if number[:3] not in PROVINCE_CODES:
        return "unknown province code"
    century_sex = int(number[3])
    if birth_date:
        year = int(birth_date[:4])
        century = 1900 + 100 * (century_sex // 2)
        if not century <= year < century + 100 or int(number[4:6]) != year % 100:
            return "does not agree with the birth date"
    elif century_sex > 3:
        return "century digit out of range"
    return None


def phone_ok(number: str) -> bool:
    """Vietnamese mobile (10 digits, 03/05/07/08/09) or landline (11 digits, 02)."""
    return bool(re.fullmatch(r"0[35789]\d{8}", number) or re.fullmatch(r"02\d{9}", number))
