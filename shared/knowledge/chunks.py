"""Chunks of a document that follow its structure, each with its title, section and page.

A chunk never mixes two sections or two pages, and stays under CHUNK_WORDS words, ending on a
sentence, a list item or a table row. Its title and section headings travel with it into the
index, since a heading often says what the paragraph under it does not ("Roaming: Zone 2" above
"Calls cost 0.25 dollars a minute"). A list or table split for length repeats the sentence that
introduces it (and a table its header row), so that every part still says what it lists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from pydantic import BaseModel

from shared.knowledge.extract import Page, extract
from shared.knowledge.structure import Block, blocks, sentences, title

CHUNK_WORDS = 110  # the text of a chunk; with its title and section it stays within MiniLM's 256 tokens


class Chunk(BaseModel):
    id: str
    document: str
    page: int
    text: str
    title: str = ""  # the document's title, else its file name
    section: str = ""  # the headings above the text, outermost first

    @property
    def indexed(self) -> str:
        """What is embedded and matched: the text under its title and headings."""
        return "\n".join(part for part in (self.title, self.section, self.text) if part)


def chunk_id(document: str, ordinal: int) -> str:
    # Stable per document and position, and a valid key for Azure AI Search (letters, digits, _ - =).
    return f"{hashlib.sha1(document.encode()).hexdigest()[:16]}-{ordinal:05d}"


@dataclass
class _Unit:
    text: str
    page: int
    section: str
    kind: str = "text"
    lead: str = ""  # what a list item or table row needs repeated when it opens a chunk


def _units(found: list[Block]) -> list[_Unit]:
    headings: list[tuple[int, str]] = []
    units: list[_Unit] = []
    lead = ""  # the last sentence before a list, with a table's header row after it
    for block in found:
        if block.kind == "heading":
            while headings and headings[-1][0] >= block.level:
                headings.pop()
            headings.append((block.level, block.text))
            lead = ""
            continue
        section = " > ".join(text for _, text in headings)
        if block.kind == "text":
            units += [_Unit(s, block.page, section) for s in sentences(block.text)]
            lead = units[-1].text if units else ""
            continue
        starts_table = block.kind == "row" and not (units and units[-1].kind == "row")
        units.append(_Unit(block.text, block.page, section, block.kind, "" if starts_table else lead))
        if starts_table:
            lead = f"{lead}\n{block.text}".strip()
    return units


def chunk(document: str, pages: list[Page], words: int = CHUNK_WORDS) -> list[Chunk]:
    found = blocks(pages)
    name = PurePath(document).stem
    own = title(pages, found)
    heading = f"{own} ({name})" if own and name.lower() not in own.lower() else own or name
    chunks: list[Chunk] = []
    current: list[_Unit] = []

    def close() -> None:
        if current:
            first = current[0]
            lead = [first.lead] if first.lead and first.lead != first.text else []
            parts = lead + [("\n" if u.kind != "text" else " ") + u.text for u in current]
            section = first.section.removeprefix(own).removeprefix(" > ") if own else first.section
            chunks.append(Chunk(id=chunk_id(document, len(chunks)), document=document, page=first.page,
                                title=heading, section=section, text="".join(parts).strip()))
            current.clear()

    size = 0
    for unit in _units(found):
        length = len(unit.text.split())
        if current and (unit.section != current[0].section or unit.page != current[0].page
                        or size + length > words):
            close()
            size = 0
        current.append(unit)
        size += length
    close()
    return chunks


def pieces(document: str, data: bytes) -> list[Chunk]:
    """The chunks of a file's text (CPU-bound: the knowledge base runs it in a worker process)."""
    return chunk(document, extract(document, data))
