"""Text per page from PDF (pypdf), DOCX (python-docx, pages split at page breaks), TXT and MD."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

SUPPORTED = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml"
             ".document", ".txt": "text/plain", ".md": "text/markdown"}


class ExtractionError(ValueError):
    """The document cannot be read; the message says why, for the document's status."""


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as people cite pages
    text: str


def extension_of(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def check_upload(name: str, data: bytes, max_bytes: int) -> None:
    """Refuses what can be refused before storing: empty, too large, unsupported, wrong content."""
    extension = extension_of(name)
    if extension not in SUPPORTED:
        raise ExtractionError(f"unsupported type {extension or '(none)'}: send {', '.join(sorted(SUPPORTED))}")
    if not data:
        raise ExtractionError("the file is empty")
    if len(data) > max_bytes:
        raise ExtractionError(f"the file has {len(data)} bytes; the limit is {max_bytes}")
    if extension == ".pdf" and not data.startswith(b"%PDF-"):
        raise ExtractionError("not a PDF: the file does not start with %PDF-")
    if extension == ".docx" and not data.startswith(b"PK"):
        raise ExtractionError("not a DOCX: the file is not a zip package")


def extract(name: str, data: bytes) -> list[Page]:
    """Pages with text; raises ExtractionError when nothing readable is in the file."""
    extension = extension_of(name)
    try:
        if extension == ".pdf":
            pages = _pdf(data)
        elif extension == ".docx":
            pages = _docx(data)
        elif extension in (".txt", ".md"):
            pages = _text(data)
        else:
            raise ExtractionError(f"unsupported type {extension or '(none)'}")
    except ExtractionError:
        raise
    except Exception as error:  # parsers raise many kinds on damaged files
        raise ExtractionError(f"cannot read the {extension[1:].upper()}: {type(error).__name__}: {error}") from error
    pages = [p for p in pages if p.text.strip()]
    if not pages:
        raise ExtractionError("no text found (a scanned document needs OCR, which is not supported)")
    return pages


def _pdf(data: bytes) -> list[Page]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    return [Page(number, _clean(page.extract_text() or "")) for number, page in enumerate(reader.pages, 1)]


def _docx(data: bytes) -> list[Page]:
    import docx

    pages, current = [], []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        breaks = paragraph._p.xpath('.//w:br[@w:type="page"]') or paragraph._p.xpath(".//w:lastRenderedPageBreak")
        if breaks and current:
            pages.append(current)
            current = []
        if paragraph.text.strip():
            style = paragraph.style.name if paragraph.style is not None else ""
            level = style.removeprefix("Heading ") if style.startswith("Heading ") else "1" if style == "Title" else ""
            # Headings as Markdown marks them: the chunker reads structure from the text alone.
            current.append(("#" * int(level) + " " if level.isdigit() else "") + paragraph.text)
    pages.append(current)
    return [Page(number, _clean("\n".join(lines))) for number, lines in enumerate(pages, 1)]


def _text(data: bytes) -> list[Page]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExtractionError("the text is not UTF-8") from error
    return [Page(number, _clean(part)) for number, part in enumerate(text.split("\f"), 1)]


def _clean(text: str) -> str:
    # A wide gap inside a line separates table cells (pypdf keeps it): kept as a cell mark.
    text = re.sub(r"(?<=\S)[ \t]{3,}(?=\S)", " | ", re.sub(r"-\n(?=\w)", "", text))
    return re.sub(r"[ \t]+", " ", text).strip()
