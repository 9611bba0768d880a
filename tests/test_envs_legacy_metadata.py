"""Old pins whose metadata uv refuses get it repaired from the wheel's own metadata."""

import json
from pathlib import Path

from reproducer.envs.legacy_metadata import invalid_metadata_pin, repair, repaired_requirements, write_config

FIXTURE = Path(__file__).parent / "fixtures" / "envs" / "legacy_metadata"
WHEEL = "oldpkg-0.21.1-cp36-cp36m-manylinux1_x86_64.whl"
# uv 0.13's words, as it printed them for pandas 0.21.1.
UV_STDERR = """error: No solution found when resolving dependencies
  cause: Because pandas==0.21.1 has invalid metadata and you require pandas==0.21.1, we can conclude \
that your requirements are unsatisfiable.

hint: Metadata for `pandas` (v0.21.1) could not be parsed:
  after parsing `2011`, found `k`, which is not part of a valid version
"""


def _index(tmp_path: Path) -> str:
    """A file:// index listing the fixture's wheel (its metadata beside it) and an sdist."""
    files = [
        {"filename": "oldpkg-0.21.1.tar.gz", "url": (FIXTURE / "oldpkg-0.21.1.tar.gz").as_uri()},
        {"filename": WHEEL, "url": (FIXTURE / WHEEL).as_uri()},
    ]
    (tmp_path / "oldpkg.json").write_text(json.dumps({"files": files}))
    return tmp_path.as_uri()


def test_uv_s_invalid_metadata_failure_names_the_pin() -> None:
    assert invalid_metadata_pin(UV_STDERR) == ("pandas", "0.21.1")
    assert invalid_metadata_pin("error: No solution found when resolving dependencies") is None


def test_legacy_versions_are_cut_to_their_release_number() -> None:
    assert repair("pytz (>=2011k)") == "pytz>=2011"
    assert repair("numpy (>=1.9.0)") == "numpy>=1.9.0"
    assert repair("nose (>=1.0dev); extra == 'test'") == 'nose>=1.0dev; extra == "test"'  # valid: kept
    assert repair("not a requirement ((") is None


def test_the_requirements_come_from_the_wheel_s_metadata(tmp_path: Path) -> None:
    requires = repaired_requirements("OldPkg", "0.21.1", index=_index(tmp_path))
    assert requires == ["python-dateutil", "pytz>=2011", "numpy>=1.9.0", 'nose>=1.0dev; extra == "test"']
    assert repaired_requirements("oldpkg", "0.22.0", index=_index(tmp_path)) is None  # no such wheel
    assert repaired_requirements("oldpkg", "0.21.1", index=(tmp_path / "nowhere").as_uri()) is None


def test_the_config_declares_the_repaired_dependencies_for_uv(tmp_path: Path) -> None:
    config = tmp_path / "dependency-metadata.toml"
    write_config(config, {("pandas", "0.21.1"): ["pytz>=2011", 'nose>=1.0; extra == "test"']})
    assert config.read_text() == (
        '[[dependency-metadata]]\nname = "pandas"\nversion = "0.21.1"\n'
        'requires-dist = ["pytz>=2011", "nose>=1.0; extra == \\"test\\""]\n'
    )
