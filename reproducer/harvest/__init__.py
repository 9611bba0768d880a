"""Harvesting: turn what a run produced into facts (a label, a value, and where it came from)."""

from reproducer.harvest.caveats import mark_files
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.model import Harvest, HarvestedFile, Image
from reproducer.harvest.store import read_facts, write_facts
from reproducer.harvest.walk import harvest

__all__ = [
    "Fact",
    "Harvest",
    "HarvestLimits",
    "HarvestedFile",
    "Image",
    "harvest",
    "mark_files",
    "read_facts",
    "write_facts",
]
