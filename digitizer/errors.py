"""Expected failures, each with a kind and a reason a clerk can read (Vietnamese / English)."""

from __future__ import annotations

from .model import ErrorInfo, ErrorKind

# kind -> (Vietnamese, English, transient). A transient failure may succeed if retried later.
REASONS: dict[str, tuple[str, str, bool]] = {
    "empty_file": ("Tệp rỗng (0 byte): hãy quét lại.", "The file is empty (0 bytes): scan it again.", False),
    "unsupported_format": ("Không phải tệp PDF, TIFF, JPEG hoặc PNG.",
                           "Not a PDF, TIFF, JPEG or PNG file.", False),
    "encrypted_pdf": ("Tệp PDF có mật khẩu: hãy gỡ mật khẩu rồi nộp lại.",
                      "The PDF is password protected: remove the password and submit it again.", False),
    "truncated": ("Tệp bị hỏng hoặc chưa ghi xong: hãy sao chép hoặc quét lại.",
                  "The file is damaged or incomplete: copy or scan it again.", False),
    "no_pages": ("Tài liệu không có trang nào.", "The document has no pages.", False),
    "too_many_pages": ("Tài liệu có quá nhiều trang.", "The document has too many pages.", False),
    "too_large": ("Tệp hoặc trang quá lớn.", "The file or a page is too large.", False),
    "ocr_failed": ("Không nhận dạng được chữ trên trang.", "Text recognition failed on a page.", True),
    "ocr_timeout": ("Nhận dạng chữ quá thời gian cho phép.", "Text recognition took too long.", True),
    "storage_unavailable": ("Kho lưu trữ tạm thời không truy cập được.",
                            "The storage is temporarily unavailable.", True),
    "disk_full": ("Đĩa tạm của máy xử lý đã đầy; sẽ thử lại.", "The processing machine's temporary disk is full; "
                  "it will be tried again.", True),
    "worker_died": ("Tiến trình xử lý bị dừng nhiều lần khi đọc tệp này (hết bộ nhớ hoặc treo).",
                    "The worker stopped every time it processed this file (out of memory or hung).", False),
    "vanished": ("Tệp đã biến mất trước khi được đọc.", "The file disappeared before it was read.", False),
    "signing_unavailable": ("Chưa ký số được (thiết bị ký hoặc máy chủ dấu thời gian chưa sẵn sàng); sẽ thử lại.",
                            "The document could not be signed (the signing token or the timestamp server is not "
                            "available); it will be tried again.", True),
    "internal": ("Lỗi nội bộ khi xử lý tệp.", "Internal error while processing the file.", True),
}
assert set(REASONS) == set(ErrorKind), "every error kind has its reason"


class DigitizerError(Exception):
    """An input or environment problem that ends one document's processing, not the service."""

    def __init__(self, kind: ErrorKind, detail: str = "", transient: bool | None = None) -> None:
        self.kind = ErrorKind(kind)          # a member (mypy checks the call sites); ValueError for anything else
        vi, en, default_transient = REASONS[self.kind]
        self.detail = detail
        self.transient = default_transient if transient is None else transient
        self.message = f"{vi} / {en}" + (f" ({detail})" if detail else "")
        super().__init__(self.message)

    def info(self) -> ErrorInfo:
        return ErrorInfo(kind=self.kind, message=self.message, transient=self.transient)
