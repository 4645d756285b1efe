"""The rebuild's own segment writer writes the very files Whoosh's writer would.

BuildWriter keeps postings as arrays of document numbers and writes each term's blocks whole;
Whoosh's SegmentWriter pools one tuple per posting. Given the same documents, every file of the
segment must be the same, byte for byte — so the engine reads a rebuilt index exactly as before.
"""

from __future__ import annotations

import random
from pathlib import Path

from whoosh.index import create_in, open_dir

from cote_a_cote.search import backend_whoosh, schema
from cote_a_cote.search.documents import IndexDocument

WORDS = [
    "hébergement",
    "logement",
    "thérapie",
    "avocate",
    "juridique",
    "emploi",
    "soutien",
    "écoute",
    "aide",
    "femmes",
]


def documents(count: int) -> list[IndexDocument]:
    """Fictional documents; some words in most of them, so their postings span several blocks."""
    rng = random.Random(7)
    found = []
    for number in range(count):
        texts = {
            level: " ".join(rng.choices(WORDS, k=rng.randint(1, 12)))
            for level in ("name", "terms", "body")
        }
        keywords = {
            "region": [rng.choice(["06", "03", "QC"])],
            "need": rng.sample(["need.legal", "need.housing", "need.health"], k=rng.randint(0, 3)),
            "audience": [schema.AUDIENCE_PUBLIC],
            "org": [str(number % 17)],
        }
        payload = {"names": [f"Service fictif {number}", None], "org": number % 17}
        found.append(IndexDocument(number + 1, texts, keywords, payload))
    return found


def segment_files(folder: Path, make_writer, docs: list[IndexDocument]) -> dict[str, bytes]:
    folder.mkdir()
    index = create_in(str(folder), backend_whoosh.whoosh_schema())
    writer = make_writer(index)
    spelled: set[str] = set()
    for document in docs:
        writer.add_document(**backend_whoosh._whoosh_fields(document, spelled))
    writer.commit(merge=False)
    index.close()
    # Segment files are named MAIN_<segment id>.<part>; the id is random, the part is not.
    return {
        path.name.split(".", 1)[1]: path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith("MAIN_") and "." in path.name and path.suffix != ".toc"
    }


def test_the_build_writer_writes_the_files_whoosh_writes(tmp_path):
    docs = documents(700)  # "femmes" alone is in hundreds: postings of several 128-id blocks
    whoosh = segment_files(
        tmp_path / "whoosh",
        lambda index: index.writer(codec=backend_whoosh.BuildCodec(), compound=False),
        docs,
    )
    ours = segment_files(tmp_path / "ours", backend_whoosh.BuildWriter, docs)
    assert sorted(ours) == sorted(whoosh)
    assert {part for part, data in ours.items() if data != whoosh[part]} == set()
    assert len(ours["pst"]) > 10_000  # postings were written, not an empty segment twice


def test_a_built_index_finds_every_document_of_a_word(tmp_path):
    docs = documents(300)
    segment_files(tmp_path / "ix", backend_whoosh.BuildWriter, docs)
    index = open_dir(str(tmp_path / "ix"))
    try:
        with index.reader() as reader:
            stem = backend_whoosh.stems("femmes")[0].encode()
            numbers = list(reader.postings("body", stem).all_ids())
            sids = [reader.stored_fields(n) for n in numbers]
    finally:
        index.close()
    expected = [n for n, d in enumerate(docs) if "femmes" in d.texts["body"].split()]
    assert numbers == expected
    assert len(numbers) > 128  # more than one block
    assert sids == [{}] * len(numbers)  # nothing stored: the payload column carries it
