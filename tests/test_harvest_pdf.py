"""PDF text comes from the harvest's reader process, with a time limit; unreadable PDFs get a state, not a
crash."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from reproducer.harvest import Fact, harvest
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.model import HarvestedFile

REPORT = Path(__file__).parent / "fixtures" / "outputs" / "report.pdf"


def pdf_harvest(path: Path, limits: HarvestLimits = HarvestLimits()) -> tuple[HarvestedFile, list[Fact]]:  # noqa: B008
    result = harvest(path.parent, [path], limits=limits)
    return result.files[0], result.facts


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    writer = PdfWriter(clone_from=PdfReader(REPORT))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path_factory.mktemp("pdf") / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def test_pdf_text_becomes_facts_by_page_and_line() -> None:
    record, found = pdf_harvest(REPORT)
    assert record.state == "ok"
    facts = {(fact.label, fact.raw): fact.location for fact in found}
    assert facts[("Test accuracy", "0.8765")] == "page 1, line 2"
    assert facts[("Macro F1", "0.8123")] == "page 1, line 3"
    # The unit after the value joins its label.
    assert facts[("Training time (seconds)", "512")] == "page 2, line 2"


def test_encrypted_pdf_is_recorded_not_read(encrypted: Path) -> None:
    record, found = pdf_harvest(encrypted)
    assert (record.state, found) == ("encrypted", [])
    assert "password" in record.reason


def test_truncated_pdf_is_broken_and_the_harvest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_truncated.pdf").write_bytes(REPORT.read_bytes()[:400])
    (tmp_path / "b_notes.txt").write_text("accuracy: 0.5\n")
    result = harvest(tmp_path)
    states = {record.file: record.state for record in result.files}
    assert states == {"a_truncated.pdf": "broken", "b_notes.txt": "ok"}
    assert [fact.raw for fact in result.facts] == ["0.5"]
    assert result.files[0].reason


def test_the_time_limit_kills_a_slow_worker() -> None:
    record, found = pdf_harvest(REPORT, HarvestLimits(pdf_timeout_seconds=0.001))
    assert (record.state, found) == ("timeout", [])
    assert "0.001" in record.reason


def test_pdfs_are_also_listed_as_figures(encrypted: Path) -> None:
    result = harvest(encrypted.parent)
    assert [(image.file, image.format) for image in result.images] == [("locked.pdf", "pdf")]
    assert result.files[0].state == "encrypted"
