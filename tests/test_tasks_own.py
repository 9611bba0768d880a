"""Our own task files (YAML or JSON) for capsules that are not from CORE-Bench."""

import json
from pathlib import Path

import pytest

from reproducer.errors import BadInput
from reproducer.tasks import load_task, load_tasks

OWN_YAML = """\
tasks:
  - capsule_id: my-paper
    task_prompt: Run main.py and report the test accuracy.
    capsule: ../capsules/my-paper
    questions:
      - Report the test accuracy of the model.
      - From fig 2, report the peak value.
  - capsule_id: with-truth
    task_prompt: Run analysis.R.
    capsule: https://github.com/example/capsule.git
    language: R
    results:
      - {Report the p-value.: 1e-3, Report the label.: "yes", Report the counts.: [1, 2]}
      - {Report the p-value.: 2.0e-3, Report the label.: "yes", Report the counts.: [1, 2]}
  - capsule_id: archive
    task_prompt: Run it.
    capsule: /data/archive.tar.gz
    questions: [Report x.]
"""


@pytest.fixture
def own_yaml(tmp_path: Path) -> Path:
    folder = tmp_path / "tasks"
    folder.mkdir()
    path = folder / "mine.yaml"
    path.write_text(OWN_YAML)
    return path


def test_own_yaml_resolves_relative_capsule_paths(own_yaml: Path) -> None:
    task_set = load_tasks(own_yaml)
    assert task_set.problems == []
    mine, truth, archive = task_set.tasks
    assert mine.capsule == str((own_yaml.parent.parent / "capsules" / "my-paper").resolve())
    assert Path(mine.capsule).is_absolute()
    assert truth.capsule == "https://github.com/example/capsule.git"
    assert archive.capsule == "/data/archive.tar.gz"


def test_questions_without_truth(own_yaml: Path) -> None:
    task = load_task(own_yaml, "my-paper")
    assert not task.has_truth
    assert task.written_questions == ["Report the test accuracy of the model."]
    assert task.vision_questions == ["From fig 2, report the peak value."]
    assert task.field == task.language == task.capsule_title == task.capsule_doi == ""


def test_yaml_values_keep_their_types_and_exponents_are_numbers(own_yaml: Path) -> None:
    task = load_task(own_yaml, "with-truth")
    assert task.questions == ["Report the p-value.", "Report the label.", "Report the counts."]
    first = task.results[0]
    assert first["Report the p-value."] == 1e-3 and type(first["Report the p-value."]) is float
    assert first["Report the label."] == "yes"
    assert first["Report the counts."] == [1, 2]


def test_single_record_json_with_exact_types(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    truth = [{"Report a.": 1, "Report b.": 1.0, "Report c.": "1"}]
    path.write_text(json.dumps({"capsule_id": "c1", "task_prompt": "p", "capsule": "caps", "results": truth}))
    task = load_task(path)
    assert [type(v) for v in task.results[0].values()] == [int, float, str]
    assert task.capsule == str((tmp_path / "caps").resolve())


def test_own_record_problems(tmp_path: Path) -> None:
    path = tmp_path / "mine.yml"
    path.write_text(
        "- {capsule_id: a, task_prompt: p, questions: [Report x.], capsul: ./a}\n"
        "- {capsule_id: b, questions: [Report x.]}\n"
        "- {capsule_id: c, task_prompt: p, capsule: ./c}\n"
        "- {capsule_id: d, task_prompt: p, questions: [Report x.], results: [{Report y.: 1}]}\n"
        "- {capsule_id: e, task_prompt: p, capsule: ./e, questions: [Report x.]}\n"
    )
    task_set = load_tasks(path)
    assert task_set.ids == ["e"]
    assert [str(problem).removeprefix(f"{path}: ") for problem in task_set.problems] == [
        'record 0 (a), field "capsul": unknown key; did you mean `capsule`?',
        'record 1 (b), field "task_prompt": missing',
        "record 2 (c): a task needs `results` (ground truth) or at least `questions`",
        "record 3 (d): `questions` differs from the question keys of `results`",
    ]


def test_a_record_without_own_keys_must_be_a_full_corebench_record(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("capsule_id: a\ntask_prompt: p\nresults: [{Report x.: 1}]\n")
    with pytest.raises(BadInput, match=r'field "field": missing \(a CORE-Bench record has all seven'):
        load_task(path)
