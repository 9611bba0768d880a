"""`submit` checks values against what the run printed (facts.jsonl): a rounded number, a percentage for
a fraction or the reverse, a giving-up string, a label for a number are pointed out once; the model may
revise, the next submission is final, and the checks and the answers are in the trajectory."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.outcome import Submitted
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.solve import AgentRun, solve_with_agent
from reproducer.agent.tools.checks import check_answers
from reproducer.capsules.stage import stage_capsule
from reproducer.harvest import Fact
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
HEIGHT = "Report the height of the blue bar in pixels."
COLOUR = "From the figure, report the colour of the taller bar."
ACCURACY = "Report the test accuracy of the model."
NAME = "Report the name of the best model."


def fact(value: float | int | str, raw: str = "", file: str = "results/metrics.txt") -> Fact:
    return Fact(label="accuracy", value=value, raw=raw or str(value), file=file, location="line 3")


PRINTED = [fact(0.873146), fact(41.5), fact(12345), fact("resnet")]


def kinds(answers: dict[str, Any], facts: list[Fact] = PRINTED) -> dict[str, str]:
    return {check.question: check.kind for check in check_answers(answers, facts)}


def test_a_value_printed_exactly_passes_whatever_its_kind() -> None:
    assert kinds({ACCURACY: 0.873146, NAME: "resnet", HEIGHT: 60, COLOUR: "red"}) == {}


def test_a_rounded_form_of_a_printed_value_is_pointed_out_with_the_exact_value() -> None:
    [check] = check_answers({ACCURACY: 0.873}, PRINTED)
    assert check.kind == "rounded"
    assert "0.873146 (results/metrics.txt (line 3))" in check.message
    assert kinds({ACCURACY: 12300}) == {}  # not a rounding (12345 rounds to 12345 at 0 places)
    assert kinds({HEIGHT: 42}) == {HEIGHT: "rounded"}  # 41.5 rounds to 42
    assert kinds({HEIGHT: 2}) == {}  # small counts round from too much to say anything


def test_a_percentage_for_a_printed_fraction_and_the_reverse_are_pointed_out() -> None:
    [check] = check_answers({ACCURACY: 87.3146}, PRINTED)
    assert check.kind == "percent_fraction" and "printed the fraction 0.873146" in check.message
    assert kinds({ACCURACY: 87.31}) == {ACCURACY: "percent_fraction"}  # rounded as well
    assert kinds({ACCURACY: 0.415}) == {ACCURACY: "percent_fraction"}


@pytest.mark.parametrize("given_up", ["N/A", "unknown", "could not run the code", "n/a.", ["0.5", "NA"]])
def test_giving_up_strings_are_pointed_out(given_up: Any) -> None:
    assert kinds({ACCURACY: given_up}) == {ACCURACY: "gave_up"}


def test_a_label_for_a_number_and_a_number_for_a_name_are_pointed_out() -> None:
    assert kinds({ACCURACY: "high"}) == {ACCURACY: "type"}
    assert kinds({ACCURACY: "0.873146"}) == {ACCURACY: "type"}
    assert kinds({NAME: 3}) == {NAME: "type"}
    assert kinds({COLOUR: "red"}) == {}  # a colour asked "from the figure" may well be a word


@pytest.fixture
def staged(tmp_path: Path) -> Iterator[tuple[Task, Path, Path, LocalSandbox]]:
    task = load_task(FIXTURE / "task.yaml", None)
    run_dir = tmp_path / "run"
    capsule_dir = stage_capsule(FIXTURE / "capsule", "hard", run_dir / "workspace", task=task).capsule_dir
    # What the pipeline harvested from this run's outputs, as it writes it.
    relative = (capsule_dir / "results" / "heights.txt").relative_to(run_dir).as_posix()
    facts = [fact(60.25, file=relative), fact(0.4125, file=relative)]
    (run_dir / "facts.jsonl").write_text("".join(f.model_dump_json() + "\n" for f in facts))
    sandbox = LocalSandbox(capsule_dir, run_dir / "logs", keep_background=True)
    try:
        yield task, run_dir, capsule_dir, sandbox
    finally:
        sandbox.stop()


def run(staged: tuple[Task, Path, Path, LocalSandbox], model: ScriptedModel, **options: Any) -> Any:
    task, run_dir, capsule_dir, sandbox = staged
    result = solve_with_agent(AgentRun(task, run_dir, capsule_dir, sandbox, model, **options))
    return result, json.loads((run_dir / "trajectory.json").read_text())


def test_the_model_is_told_once_revises_and_both_checks_are_recorded(staged: Any) -> None:
    model = ScriptedModel(
        [
            tool_turn("submit", {"answers": {HEIGHT: 60.3, COLOUR: "N/A"}}),
            tool_turn("submit", {"answers": {HEIGHT: 60.25, COLOUR: "red"}}),
        ]
    )
    result, trajectory = run(staged, model)

    assert result.outcome == Submitted(answers={HEIGHT: 60.25, COLOUR: "red"})
    told = model.calls[1].messages[-1]["content"][0]
    assert told["is_error"] is True
    assert "60.3 is a rounded form of 60.25 (results/heights.txt (line 3))" in told["content"][0]["text"]
    assert "'N/A' gives up" in told["content"][0]["text"]
    first, second = (step["tool_calls"][0]["details"] for step in trajectory["steps"])
    assert [check["kind"] for check in first["checks"]] == ["rounded", "gave_up"]
    assert second["checks"] == [] and second["answers"] == {HEIGHT: 60.25, COLOUR: "red"}


def test_the_second_submission_is_final_even_if_a_check_still_fails(staged: Any) -> None:
    model = ScriptedModel(
        [
            tool_turn("submit", {"answers": {HEIGHT: 60.3, COLOUR: "red"}}),
            tool_turn("submit", {"answers": {HEIGHT: 60.3, COLOUR: "red"}}),
        ]
    )
    result, trajectory = run(staged, model)

    assert result.outcome == Submitted(answers={HEIGHT: 60.3, COLOUR: "red"})
    last = trajectory["steps"][-1]["tool_calls"][0]
    assert [check["kind"] for check in last["details"]["checks"]] == ["rounded"]
    assert last["submitted"] == {HEIGHT: 60.3, COLOUR: "red"}


def test_on_the_last_turn_a_submission_is_accepted_with_its_checks_recorded(staged: Any) -> None:
    final = tool_turn("submit", {"answers": {HEIGHT: 41.25, COLOUR: "?"}})
    model = ScriptedModel([tool_turn("bash", {"command": "true"}), final])
    result, trajectory = run(staged, model, limits=AgentLimits(steps=2))

    assert result.outcome == Submitted(answers={HEIGHT: 41.25, COLOUR: "?"})
    assert model.calls[1].tool_choice == {"type": "tool", "name": "submit"}
    checks = trajectory["steps"][-1]["tool_calls"][0]["details"]["checks"]
    assert [check["kind"] for check in checks] == ["percent_fraction", "gave_up"]
