"""How much the harvester reads: caps that keep a run's huge or numerous outputs from stalling it."""

from pydantic import BaseModel, ConfigDict

# A results file bigger than this is listed but not read (a 10 GB checkpoint is not a table).
MAX_FILE_BYTES = 32 * 1024 * 1024
# Once this much has been read in one harvest, the remaining files are listed as skipped.
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_FILES = 5000
# One file cannot flood the fact list (a training log that prints every step).
MAX_FACTS_PER_FILE = 20000
# Longer lines are data dumps, not something a person reads; their numbers carry no label.
MAX_LINE_CHARS = 4000
# pypdf runs in a child process that is killed after this long (some PDFs make it loop for minutes).
PDF_TIMEOUT_SECONDS = 60.0
# Any other file gets this long in the reader process (a million-tag HTML file must not hang the run).
FILE_TIMEOUT_SECONDS = 30.0
# The reader process's address space: a JSON file of millions of labels is refused, not the runner's memory.
READER_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
# The whole harvest's time; the files left when it is over are listed as skipped.
HARVEST_SECONDS = 900.0
# The whole harvest's facts: beyond this, the remaining files are listed as skipped.
MAX_FACTS = 200_000
# Folders nested deeper than this are not walked (each level holds a descriptor open).
MAX_DEPTH = 64
# At most this much text is taken from one PDF.
MAX_PDF_TEXT_CHARS = 4 * 1024 * 1024


class HarvestLimits(BaseModel):
    """The caps for one harvest; the defaults are the module's named constants."""

    model_config = ConfigDict(frozen=True)

    max_file_bytes: int = MAX_FILE_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_files: int = MAX_FILES
    max_facts_per_file: int = MAX_FACTS_PER_FILE
    max_line_chars: int = MAX_LINE_CHARS
    pdf_timeout_seconds: float = PDF_TIMEOUT_SECONDS
    max_pdf_text_chars: int = MAX_PDF_TEXT_CHARS
    file_timeout_seconds: float = FILE_TIMEOUT_SECONDS
    reader_memory_bytes: int = READER_MEMORY_BYTES
    harvest_seconds: float = HARVEST_SECONDS
    max_facts: int = MAX_FACTS
    max_depth: int = MAX_DEPTH
