"""Choosing an interpreter the exact pins have wheels for: a recorded index answer, and one live one."""

from pathlib import Path

import pytest

from reproducer.envs.interpreters import find_interpreter_for_pins, installed_by_minor
from reproducer.envs.wheels import choose_minor, minors_of_files, pin_minors

RECORDED = (Path(__file__).parent / "fixtures" / "pypi").as_uri()
OLD_NUMPY = frozenset({(3, 5), (3, 6), (3, 7)})


def test_wheel_tags_give_the_minors_served() -> None:
    files = [
        "numpy-1.16.4-cp37-cp37m-manylinux1_x86_64.whl",
        "numpy-1.16.4-cp36-cp36m-manylinux1_x86_64.whl",
        "numpy-1.16.4-cp38-cp38-win_amd64.whl",  # not Linux
        "numpy-1.16.4-cp27-cp27mu-manylinux1_x86_64.whl",  # not Python 3
        "numpy-1.16.4.zip",
        "cryptography-41.0.0-cp37-abi3-manylinux_2_28_x86_64.whl",
        "six-1.12.0-py2.py3-none-any.whl",
    ]
    minors = minors_of_files(files)
    assert minors["1.16.4"] == [(3, 6), (3, 7)]
    assert minors["41.0.0"][:2] == [(3, 7), (3, 8)]  # abi3: that minor and every later one
    assert minors["1.12.0"] == "any"


def test_recorded_index_answer_is_read_and_cached(tmp_path: Path) -> None:
    pins = {"numpy": "1.16.4.0", "six": "1.12.0", "not-recorded": "1.0"}  # 1.16.4.0 is 1.16.4
    assert pin_minors(pins, tmp_path, RECORDED) == {"numpy": OLD_NUMPY}
    assert (tmp_path / "numpy.json").is_file()
    # The second question is answered from the cache, whatever the index says now.
    assert pin_minors(pins, tmp_path, "file:///nonexistent") == {"numpy": OLD_NUMPY}


def test_the_nearest_minor_with_wheels_for_every_pin_wins() -> None:
    here = [(3, 6), (3, 7), (3, 8), (3, 11), (3, 12)]
    assert choose_minor((3, 11), here, {"numpy": OLD_NUMPY}) == ((3, 7), ["numpy"])
    assert choose_minor((3, 6), here, {"numpy": OLD_NUMPY}) == ((3, 6), [])
    both = {"numpy": OLD_NUMPY, "scipy": frozenset({(3, 7), (3, 8)})}
    assert choose_minor((3, 11), here, both) == ((3, 7), ["numpy", "scipy"])
    # Nothing serves both: the minor serving the most pins, nearest to the one asked for.
    apart = {"numpy": OLD_NUMPY, "torch": frozenset({(3, 11)}), "scipy": frozenset({(3, 11)})}
    assert choose_minor((3, 8), here, apart) == ((3, 11), ["numpy", "scipy", "torch"])


@pytest.mark.skipif((3, 7) not in installed_by_minor(), reason="needs a Python 3.7 on this machine")
def test_an_old_numpy_pin_gets_a_python_with_its_wheel_not_a_source_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPRODUCER_WHEEL_INDEX", RECORDED)
    chosen = find_interpreter_for_pins(None, {"numpy": "1.16.4"}, tmp_path)
    assert chosen.short_version == "3.7"
    assert chosen.warning is not None and "no Linux wheel for numpy==1.16.4" in chosen.warning
    unpinned = find_interpreter_for_pins("3.6", {"six": "1.12.0"}, tmp_path)
    assert unpinned.short_version == "3.6" and unpinned.warning is None


def test_live_index_answer_for_an_old_numpy(tmp_path: Path) -> None:
    found = pin_minors({"numpy": "1.16.4"}, tmp_path, "https://pypi.org/simple")
    if not found:
        pytest.skip("the package index is not reachable from here")
    assert found == {"numpy": OLD_NUMPY}
