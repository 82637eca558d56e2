"""What the knowledge base finds: one slot a page, the edition a question names, structure kept in
chunks, pages right across page breaks, and nothing at all for what no document answers.

Real parts throughout: the MiniLM embedder, the SQLite index, the chunker on real PDF, DOCX,
Markdown and text files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from local import sample_corpus
from shared.knowledge.base import KnowledgeBase
from shared.knowledge.chunks import chunk, pieces
from shared.knowledge.embeddings import MiniLmEmbedder
from shared.knowledge.extract import Page
from shared.knowledge.index import LocalHybridIndex, always_current
from shared.knowledge.query import focus
from shared.settings import Settings

FLOOR = Settings.model_fields["local_search_min_relevance"].default


@pytest.fixture(scope="module")
def embedder() -> Iterator[MiniLmEmbedder]:
    yield MiniLmEmbedder()


async def indexed(folder: Path, embedder: MiniLmEmbedder, files: dict[str, bytes]) -> KnowledgeBase:
    base = KnowledgeBase(embedder, LocalHybridIndex(folder / "index.sqlite3", embedder.dimensions), FLOOR)
    for name, data in files.items():
        await base.ingest(name, data, always_current)
    return base


@pytest.fixture(scope="module")
async def sample(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLmEmbedder) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("sample")
    return await indexed(folder, embedder, {p.name: p.read_bytes() for p in sample_corpus.build(folder / "corpus")})


async def test_a_page_fills_one_slot_with_its_best_chunk(tmp_path: Path, embedder: MiniLmEmbedder) -> None:
    returns = " ".join(f"Returned item rule {n}: a returned item must be unused and in its box." for n in range(40))
    pages = [returns, returns, "Our stores open at nine in the morning on weekdays."]
    base = await indexed(tmp_path, embedder, {"Returns.txt": "\f".join(pages).encode()})
    hits = await base.search("Can a returned item be used?", top=5, min_relevance=0.0)
    assert len(await base.search("x", top=50, min_relevance=0.0)) <= 3  # pages, not chunks
    assert len({(h.document, h.page) for h in hits}) == len(hits)
    assert [h.page for h in hits[:2]] in ([1, 2], [2, 1])


async def test_nonsense_and_unanswered_questions_get_nothing_above_the_floor(sample: KnowledgeBase) -> None:
    for nonsense in ("purple elephant quantum banana", "How do I bake sourdough bread?"):
        assert await sample.search(nonsense) == [], nonsense
    hits = await sample.search("Who pays import taxes on orders abroad?")
    assert (hits[0].document, hits[0].page) == ("Shipping Guide.docx", 2)


async def test_relevance_orders_hits_without_ties(sample: KnowledgeBase) -> None:
    hits = await sample.search("How do I clean my sunglasses without scratching them?", top=5, min_relevance=0.0)
    assert [h.relevance for h in hits] == sorted((h.relevance for h in hits), reverse=True)
    assert hits[0].relevance > hits[1].relevance


PLAN = """# Connect Plan {year}

## Late payment
A late payment fee of {fee} dollars is added when a bill is unpaid fourteen days after its due date.
The service is suspended when two bills are unpaid.

## Roaming: Zone 2 (the Americas)
Calls cost {call} dollars a minute and data a tenth of a dollar a megabyte.
"""


async def test_the_edition_a_question_names_comes_first(tmp_path: Path, embedder: MiniLmEmbedder) -> None:
    base = await indexed(tmp_path, embedder, {
        f"Connect Plan {year}.md": PLAN.format(year=year, fee=fee, call=call).encode()
        for year, fee, call in (("2025", "8", "0.35"), ("2026", "10", "0.25"))})
    for year in ("2025", "2026"):
        for question in (f"What is the late payment fee on the {year} Connect plan?",
                         f"Under the Connect Plan {year}, what does a call cost in Mexico?"):
            assert (await base.search(question))[0].document == f"Connect Plan {year}.md", question


async def test_a_heading_says_what_its_paragraph_does_not(tmp_path: Path, embedder: MiniLmEmbedder) -> None:
    base = await indexed(tmp_path, embedder, {"Connect Plan 2026.md": PLAN.format(
        year="2026", fee="10", call="0.25").encode()})
    [found] = [c for c in pieces("Connect Plan 2026.md", PLAN.format(year="2026", fee="10", call="0.25").encode())
               if "Calls cost" in c.text]
    assert found.title == "Connect Plan 2026" and found.section == "Roaming: Zone 2 (the Americas)"
    assert "Roaming: Zone 2" in found.indexed and "Calls cost" in found.indexed
    assert "Calls cost" in (await base.search("How much is roaming in the Americas?"))[0].text


def test_a_sentence_cut_by_a_page_break_stays_with_the_page_it_starts_on() -> None:
    pages = [Page(1, "Refunds\nA refund is paid to the card used within"),
             Page(2, "five working days of the return. Exchanges are free once per order.")]
    chunks = chunk("Refunds.pdf", pages)
    by_text = {c.page: c.text for c in chunks}
    assert "within five working days of the return." in by_text[1]
    assert "Exchanges are free" in by_text[2] and "five working days" not in by_text[2]
    assert all(c.section == "Refunds" for c in chunks)  # the heading carries over the break


def test_lists_and_tables_split_for_length_keep_what_introduces_them() -> None:
    items = "\n".join(f"- step {n}: press the button marked {n} and wait for the green light to come on" for n in
                      range(30))
    rows = "\n".join(f"| Zone {n} | {n}.50 dollars | {n * 10} MB |" for n in range(40))
    text = (f"# Guide\n\n## Resetting the router\nTo reset the router:\n{items}\n\n"
            f"## Prices\n| Zone | Price | Data |\n{rows}")
    chunks = chunk("Guide.md", [Page(1, text)])
    steps = [c for c in chunks if c.section == "Resetting the router"]
    tables = [c for c in chunks if c.section == "Prices"]
    assert len(steps) > 1 and all(c.text.startswith("To reset the router:") for c in steps)
    assert len(tables) > 1 and all(c.text.startswith("| Zone | Price | Data |") for c in tables)
    assert all("\n- step" in c.text for c in steps)  # items stay one a line


def test_running_headers_and_footers_are_not_content(tmp_path: Path) -> None:
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "Fibre Guide - Customer Terms", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()}", align="C")

    document = Paged()
    for topic in ("speeds", "installation", "the router", "faults"):
        document.add_page()
        document.set_font("Helvetica", size=11)
        document.multi_cell(0, 6, f"What the customer should know about {topic}.")
    document.output(str(tmp_path / "Fibre.pdf"))
    chunks = pieces("Fibre.pdf", (tmp_path / "Fibre.pdf").read_bytes())
    assert [c.page for c in chunks] == [1, 2, 3, 4]
    assert not any("Page" in c.text or "Customer Terms" in c.text for c in chunks)
    assert chunks[0].title == "Fibre Guide - Customer Terms"  # the file name adds nothing to it


def test_docx_headings_become_sections(tmp_path: Path) -> None:
    sample_corpus.docx(tmp_path / "Shipping.docx", "Shipping guide", sample_corpus.SHIPPING)
    chunks = pieces("Shipping.docx", (tmp_path / "Shipping.docx").read_bytes())
    assert chunks[0].title == "Shipping guide"
    assert [(c.page, c.section) for c in chunks] == [(1, "Delivery options"), (2, "International orders"),
                                                     (3, "Tracking and lost parcels")]


def test_a_long_question_is_searched_for_what_it_asks() -> None:
    asked = "How much does installation cost for the Basic fibre package?"
    assert focus(f"Hello there, I've read through the documents twice and I still can't work it out. {asked} "
                 "I just want to be sure before I decide anything, thanks.") == asked
    assert focus(asked) == asked


def test_embeddings_batched_by_length_come_back_in_their_texts_order(embedder: MiniLmEmbedder) -> None:
    texts = [" ".join(["word"] * n) + f" topic {n}" for n in (50, 1, 120, 7, 30)] * 5
    together = embedder.embed_now(texts)
    alone = np.vstack([embedder.embed_now([t]) for t in texts])
    assert np.all(np.sum(together * alone, axis=1) > 0.99)
