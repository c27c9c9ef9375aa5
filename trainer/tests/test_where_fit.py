"""``python -m trainer where fit``: time-ordered CV, calibration, threshold, fallback, bad input."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.tests.score_helpers import REPO_ROOT
from trainer.where.fit import (
    MIN_COMMENTED_PULLS,
    QUIET_PRECISION,
    choose_threshold,
    fit_where_model,
    rolling_folds,
    speaks_with_floor,
)
from trainer.where.rows import WhereRow, read_rows


def make_rows(pulls: int, seed: int = 0, noise: float = 0.1) -> list[WhereRow]:
    """A reviewer who comments on hunks with many added lines in src/, one pull request a day."""
    rng = random.Random(seed)
    rows = []
    for pull in range(pulls):
        time = f"2024-{1 + pull // 28:02d}-{1 + pull % 28:02d}T00:00:00Z"
        hunk_rows = []
        for hunk in range(6):
            adds = rng.randint(0, 12)
            in_src = rng.random() < 0.5
            signal = in_src and adds > 6
            label = int(signal) if rng.random() > noise else int(not signal)
            features = {"shape:adds": math.log1p(adds), "dir:src": float(in_src), f"tok:{rng.randrange(50)}": 1.0}
            hunk_rows.append((hunk, label, features))
        commented = any(label for _, label, _ in hunk_rows)
        for hunk, label, features in hunk_rows:
            rows.append(WhereRow("spec/1", pull, time, f"a.c#{hunk}", commented, label, features))
    return rows


def test_rolling_folds_train_strictly_before_and_validate_the_newer_half_only():
    rows = make_rows(40)
    folds = rolling_folds(rows, 3)
    commented = sorted({row.pull for row in rows if row.commented_pull})
    validated = [sorted({rows[index].pull for index in valid}) for _, valid in folds]
    assert [pull for part in validated for pull in part] == commented[math.ceil(len(commented) / 2) :]
    for (train, valid), part in zip(folds, validated, strict=True):
        start = min(rows[index].time for index in valid)
        assert all(rows[index].time < start for index in train)
        assert not {rows[index].pull for index in train} & set(part)
        assert all(rows[index].commented_pull for index in valid)


def test_fit_learns_calibrates_and_picks_its_threshold_in_cross_validation():
    rows = make_rows(60)
    model, fitted = fit_where_model(rows, "balanced")
    assert model["decision"]["kind"] == "threshold"
    assert 0 < model["decision"]["threshold"] < 1
    assert model["cv"]["folds"] == 3
    assert model["cv"]["f1"] > 0.6
    assert model["hyperParameters"]["population"] in ("all", "commented")
    assert model["weights"]["dir:src"] > 0
    assert model["topFeatures"][0]["weight"] >= model["topFeatures"][1]["weight"]
    # The exported JSON reproduces scikit-learn's probabilities.
    fresh = make_rows(10, seed=9)
    slope, offset = model["calibration"]["slope"], model["calibration"]["offset"]
    exported = []
    for row in fresh:
        value = model["intercept"] + sum(model["weights"].get(name, 0.0) * x for name, x in row.features.items())
        exported.append(1 / (1 + math.exp(-(slope * value + offset))))
    assert np.max(np.abs(np.array(exported) - fitted.predict_proba(fresh))) < 1e-9


def test_one_fit_gives_both_modes_and_mode_picks_the_decision():
    rows = make_rows(60)
    balanced, _ = fit_where_model(rows, "balanced")
    quiet, _ = fit_where_model(rows, "quiet")
    assert balanced["decisions"] == quiet["decisions"]
    assert balanced["decision"] == balanced["decisions"]["balanced"]
    assert quiet["decision"] == quiet["decisions"]["quiet"]
    assert quiet["decisions"]["quiet"]["threshold"] >= balanced["decisions"]["balanced"]["threshold"] - 1e-12
    # Balanced speaks on at least the most likely hunk of every pull request; quiet may stay silent.
    assert balanced["decisions"]["balanced"]["minPerPull"] == 1
    assert "minPerPull" not in quiet["decisions"]["quiet"]


def test_the_floor_speaks_on_the_most_likely_hunk_of_a_pull_request_nothing_else_reaches():
    probabilities = np.array([0.9, 0.5, 0.4, 0.4, 0.1, 0.2, 0.3])
    pulls = np.array([1, 1, 2, 2, 2, 3, 3])
    # Pull 1 reaches 0.8 on its own; pull 2 ties at 0.4 (the earlier hunk speaks); pull 3 its 0.3.
    assert speaks_with_floor(probabilities, pulls, 0.8, 1).tolist() == [True, False, True, False, False, False, True]
    assert speaks_with_floor(probabilities, pulls, 0.8, 0).tolist() == [True] + [False] * 6
    assert speaks_with_floor(probabilities, pulls, 0.35, 2).tolist() == [True, True, True, True, False, True, True]


def test_the_balanced_threshold_is_chosen_under_the_floor_it_is_used_with():
    # Without the floor the best cut is 0.4 (F1 0.8: it also takes A's 0.5); with it, 0.9: A speaks
    # on its 0.9 and B, where nothing reaches 0.9, on its most likely hunk (F1 1).
    probabilities = np.array([0.9, 0.5, 0.4, 0.1])
    labels = np.array([1, 0, 1, 0])
    pulls = np.array([10, 10, 20, 20])
    threshold, note = choose_threshold(probabilities, labels, pulls, "balanced")
    assert threshold == 0.9
    assert "(1.000)" in note
    assert "most likely hunk of every pull request" in note
    # Quiet keeps silence and is never louder than balanced.
    quiet, _ = choose_threshold(probabilities, labels, pulls, "quiet")
    assert quiet >= threshold


def test_the_fit_reads_nothing_but_its_rows():
    rows = make_rows(60)
    first, _ = fit_where_model(rows, "balanced")
    again, _ = fit_where_model(list(rows), "balanced")
    assert first == again


def test_quiet_mode_meets_the_precision_target_in_cross_validation_or_says_it_could_not():
    model, _ = fit_where_model(make_rows(60), "quiet")
    assert model["cv"]["precision"] >= QUIET_PRECISION
    assert "precision ≥ 0.6" in model["decision"]["note"]
    noisy, _ = fit_where_model(make_rows(60, noise=0.45), "quiet")
    if noisy["cv"]["precision"] < QUIET_PRECISION:
        assert noisy["decision"]["note"].startswith("no threshold reached precision 0.6")


def test_too_little_history_falls_back_to_the_rate_budget_and_says_why():
    rows = make_rows(MIN_COMMENTED_PULLS - 2)
    model, fitted = fit_where_model(rows, "balanced")
    assert model["decision"]["kind"] == "rate-budget"
    assert model["decision"]["rate"] == pytest.approx(sum(row.label for row in rows) / len(rows))
    assert model["decision"]["reason"] == (
        f"too little history to choose a threshold: {MIN_COMMENTED_PULLS - 2} commented pull requests "
        f"(needs {MIN_COMMENTED_PULLS})"
    )
    assert model["decisions"]["quiet"] == model["decision"]
    assert model["cv"] is None
    assert len(fitted.predict_proba(rows)) == len(rows)


def test_a_history_without_any_comment_still_gives_a_model():
    rows = [WhereRow("spec/1", pull, f"2024-01-{pull + 1:02d}", "a#0", False, 0, {"x": 1.0}) for pull in range(5)]
    model, fitted = fit_where_model(rows, "balanced")
    assert model["decision"]["kind"] == "rate-budget"
    assert model["weights"] == {}
    assert fitted.predict_proba(rows).tolist() == pytest.approx([1e-6] * 5)


BASE_ROW = {"spec": "s", "pull": 1, "time": "t", "hunk": "h", "commentedPull": True, "label": 1, "features": {}}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        (json.dumps({**BASE_ROW, "label": 2}), "label must be 0 or 1"),
        (json.dumps({**BASE_ROW, "features": {"a": "x"}}), "feature 'a' is not a finite number"),
        (json.dumps({**BASE_ROW, "pull": "1"}), "pull must be a whole number"),
    ],
)
def test_bad_rows_name_the_line_and_the_fix(tmp_path: Path, line: str, message: str):
    path = tmp_path / "rows.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(ValueError, match=r"rows\.jsonl:1") as error:
        read_rows(path)
    assert message in str(error.value)
    assert "buildWhereRows" in str(error.value)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", "where", "fit", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_writes_the_model_and_one_done_event(tmp_path: Path):
    rows_path = tmp_path / "rows.jsonl"
    rows_path.write_text(
        "".join(
            json.dumps(
                {
                    "spec": row.spec,
                    "pull": row.pull,
                    "time": row.time,
                    "hunk": row.hunk,
                    "commentedPull": row.commented_pull,
                    "label": row.label,
                    "features": row.features,
                }
            )
            + "\n"
            for row in make_rows(30)
        )
    )
    out = tmp_path / "model.json"
    result = run_cli("--features", str(rows_path), "--out", str(out), "--mode", "quiet")
    assert result.returncode == 0, result.stderr
    event = json.loads(result.stdout.strip().splitlines()[-1])
    assert event["event"] == "done"
    model = json.loads(out.read_text())
    assert model["format"] == "tech-lead-bot/where-model"
    assert model["featureSpec"] == "spec/1"
    assert model["mode"] == "quiet"


def test_cli_refuses_a_missing_file_with_exit_2(tmp_path: Path):
    result = run_cli("--features", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "m.json"))
    assert result.returncode == 2
    assert json.loads(result.stdout)["event"] == "error"
    assert "no such file" in json.loads(result.stdout)["message"]


# What the server/worker image lacks: it has python3 with scikit-learn, scipy and numpy, and of
# the trainer only trainer/__init__.py, __main__.py, events.py and where/ (see Dockerfile).
ABSENT_FROM_THE_WORKER_IMAGE = (
    "torch torchtune torchao torchdata transformers sentence_transformers sacrebleu rouge_score nltk datasets peft "
    "safetensors huggingface_hub tokenizers pandas pyarrow psutil rich omegaconf accelerate gguf"
)
RUN_WITHOUT = """
import runpy, sys
absent = set(sys.argv[1].split())
class Absent:
    def find_spec(self, name, path=None, target=None):
        own = name == "trainer" or name in ("trainer.__main__", "trainer.events") or name.startswith("trainer.where")
        if name.split(".")[0] in absent or (name.startswith("trainer.") and not own):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Absent())
sys.argv = ["trainer", *sys.argv[2:]]
runpy.run_module("trainer", run_name="__main__")
"""


def test_python_m_trainer_where_fit_runs_with_only_scikit_learn_installed(tmp_path: Path):
    rows_path = tmp_path / "rows.jsonl"
    rows_path.write_text(
        "".join(
            json.dumps(
                {
                    "spec": row.spec,
                    "pull": row.pull,
                    "time": row.time,
                    "hunk": row.hunk,
                    "commentedPull": row.commented_pull,
                    "label": row.label,
                    "features": row.features,
                }
            )
            + "\n"
            for row in make_rows(30)
        )
    )
    out = tmp_path / "model.json"
    command = ["where", "fit", "--features", str(rows_path), "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT, ABSENT_FROM_THE_WORKER_IMAGE, *command],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1])["event"] == "done"
    assert json.loads(out.read_text())["format"] == "tech-lead-bot/where-model"
    # The blocker works: a command that needs the absent stack fails under it.
    blocked = subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT, "sklearn", *command],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert blocked.returncode != 0
    assert "No module named 'sklearn" in blocked.stderr


def test_the_where_package_does_not_import_torch():
    code = "import sys, trainer.__main__, trainer.where.command, trainer.where.fit; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
