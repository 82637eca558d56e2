"""The structure of a document's text: headings, paragraphs, list items and table rows, each on its page.

Extracted text keeps lines but no markup, so structure is read from how lines look: a Markdown
`#`, a numbered heading ("3.2 Late payment") or a short capitalised line without end punctuation
is a heading; a line starting with a bullet or "1." is a list item; a line with cells ("a | b") is
a table row. Lines that repeat at the top or bottom of most pages (running headers, "Page 7")
are dropped: they would otherwise sit in every chunk. A sentence cut by a page break is joined
again and belongs to the page it starts on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from shared.knowledge.extract import Page

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+([A-Z].*)$")
LIST_ITEM = re.compile(r"^(?:[-*\u2022\u25cf]|\d+[.)]|[a-z][.)])\s+\S")
END_OF_SENTENCE = re.compile(r"[.!?;:)\"']$")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
HEADING_WORDS = 12  # a longer line is body text, however it looks
EDGE_LINES = 2  # lines at the top and bottom of a page that may be a running header or footer


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "text", "item", "row"
    text: str
    page: int
    level: int = 0  # headings: 1 is the top


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_lines(pages: list[Page]) -> set[str]:
    """Lines (digits ignored) at a page's edge on most pages: headers and footers, not content."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page.text.splitlines() if line.strip()]
        edge = min(EDGE_LINES, len(lines) // 3)  # a short page's middle is its content
        seen.update({_edge_key(line) for line in lines[:max(edge, 1)] + lines[-max(edge, 1):]})
    return {key for key, count in seen.items() if count >= max(3, len(pages) // 2)}


def _heading(line: str, previous: str | None) -> tuple[int, str] | None:
    """(level, text) when the line is a heading."""
    if match := MARKDOWN_HEADING.match(line):
        return len(match.group(1)), match.group(2).strip()
    words = line.split()
    if len(words) > HEADING_WORDS or END_OF_SENTENCE.search(line) or "|" in line:
        return None
    if match := NUMBERED_HEADING.match(line):
        return match.group(1).count(".") + 1, line
    # A short capitalised line after a finished sentence (or at the top): a plain heading.
    if line[0].isupper() and len(words) <= 8 and (previous is None or END_OF_SENTENCE.search(previous)):
        return 9, line  # level unknown: below any numbered or marked heading
    return None


class _Reader:
    """Reads lines in order into blocks, holding the paragraph being read."""

    def __init__(self) -> None:
        self.out: list[Block] = []
        self._text: list[str] = []
        self._page = 0  # where the paragraph being read starts
        self._previous: str | None = None
        self._unfinished = False  # a sentence ran over a page break: its end belongs to the page before

    def flush(self) -> None:
        if self._text:
            self.out.append(Block("text", " ".join(self._text), self._page))
            self._text = []

    def page_break(self) -> None:
        if self._text:
            self._unfinished = self._previous is not None and not END_OF_SENTENCE.search(self._previous)
            if not self._unfinished:
                self.flush()

    def line(self, line: str, page: int) -> None:
        if self._unfinished:  # the end of the sentence goes with its start, the rest starts this page
            self._unfinished = False
            end = re.search(r"[.!?](?=\s|$)", line)
            head, line = (line[:end.end()], line[end.end():].strip()) if end else (line, "")
            self._text.append(head)
            self.flush()
            self._previous = head
            if not line:
                return
        if (found := _heading(line, self._previous)) is not None:
            self.flush()
            self.out.append(Block("heading", found[1], page, found[0]))
        elif LIST_ITEM.match(line) or "|" in line:
            self.flush()
            self.out.append(Block("item" if LIST_ITEM.match(line) else "row", line, page))
        elif self._continues_item(line):
            last = self.out.pop()
            self.out.append(Block(last.kind, f"{last.text} {line}", last.page))
        else:
            if not self._text:
                self._page = page
            self._text.append(line)
        self._previous = line

    def _continues_item(self, line: str) -> bool:
        """A list item or table row wrapped onto the next line."""
        return bool(self.out and not self._text and self.out[-1].kind in ("item", "row") and self._previous
                    and not END_OF_SENTENCE.search(self._previous) and line[0].islower())


def blocks(pages: list[Page]) -> list[Block]:
    running = _running_lines(pages)
    reader = _Reader()
    for page in pages:
        reader.page_break()
        for raw in page.text.splitlines():
            line = raw.strip()
            if not line:
                reader.flush()  # a blank line ends a paragraph (Markdown, DOCX, text)
            elif _edge_key(line) not in running:
                reader.line(line, page.number)
    reader.flush()
    return reader.out


def title(pages: list[Page], found: list[Block]) -> str:
    """The document's own title: its running header, else a top Markdown heading that opens it; "" if none."""
    first = next((line.strip() for line in pages[0].text.splitlines() if line.strip()), "") if pages else ""
    if first and _edge_key(first) in _running_lines(pages):
        return first
    if found and found[0].kind == "heading" and found[0].level == 1 and MARKDOWN_HEADING.match(first):
        return found[0].text
    return ""


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_BREAK.split(text) if s.strip()]
