"""Install commands in the fenced code blocks of REPRODUCING.md and the READMEs (`pip install ...`, R),
and the Python version their prose states ("Tested with Python 3.7")."""

from reproducer.plan.capsule import Capsule
from reproducer.plan.documents import instruction_documents
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision, Requirement
from reproducer.plan.parse.markdown import R_LANGUAGES, SHELL_LANGUAGES, code_blocks, without_prompts
from reproducer.plan.parse.python_mentions import prose_python
from reproducer.plan.parse.r_installs import find_r_installs
from reproducer.plan.parse.script import read_snippet
from reproducer.plan.parse.script_blocks import script_statements
from reproducer.plan.readers.script import add_script_reading
from reproducer.plan.text import LineIndex


def detect(capsule: Capsule) -> Findings | None:
    documents = [(path, text) for path in instruction_documents(capsule) if (text := capsule.read_text(path))]
    if not documents:
        return None
    findings = Findings(Decision(value="README", evidence=capsule.evidence(documents[0][0])))
    for path, text in documents:
        _read_document(capsule, path, text, findings)
        stated = prose_python(text) if findings.python_version is None else None
        if stated is not None:
            index = LineIndex(text)
            line = index.line_of(stated[1])
            findings.python_version = Decision(
                value=stated[0], evidence=capsule.evidence(path, line, index.line_text(line))
            )
    return findings


def _read_document(capsule: Capsule, path: str, text: str, findings: Findings) -> None:
    index = LineIndex(text)
    masked = without_prompts(text)
    for block in code_blocks(masked):
        if block.language in R_LANGUAGES:
            for call in find_r_installs(masked[block.start : block.end]):
                for ref, offset in call.refs:
                    line = index.line_of(block.start + offset)
                    evidence = capsule.evidence(path, line, index.line_text(line))
                    findings.r_packages.append(Requirement(spec=ref, evidence=evidence))
        elif block.language in SHELL_LANGUAGES:
            for start, end in script_statements(masked, block.start, block.end):
                reading = read_snippet(masked, start, end)
                # A README's other commands are for a person to run (often the analysis), not setup.
                reading.setup_commands = []
                add_script_reading(capsule, path, index, reading, findings)
