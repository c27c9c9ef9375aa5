"""The backport verdict learner: what it exports is what scikit-learn fitted, and it says when
there is too little history. (The Node side's parity with `predict` is in test/backports/.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.backports.fit import LinearPart, fit_model, fit_sklearn, score
from trainer.backports.rows import read_rows, to_matrix

WORDS = ["crash", "leak", "panic", "widget", "option", "docs", "refactor", "race", "typo", "api"]


def _write_rows(path: Path, count: int, seed: int = 7) -> None:
    """Rows whose label depends on a few slots, with noise, in time order."""
    generator = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            slots = {str(slot): 1.0 for slot in generator.choice(len(WORDS), size=3, replace=False)}
            slots["1000"] = float(generator.random())
            fix_like = any(slot in slots for slot in ("0", "1", "2", "7"))
            label = int(fix_like if generator.random() > 0.15 else not fix_like)
            wait = None if not label else int(generator.random() > 0.5)
            row = {"id": f"c{index}", "t": 1_700_000_000_000 + index, "x": slots, "y": label, "wait": wait}
            handle.write(json.dumps(row) + "\n")


def test_exported_weights_give_scikit_learns_probabilities(tmp_path: Path) -> None:
    rows_path = tmp_path / "rows.jsonl"
    _write_rows(rows_path, 120)
    rows = read_rows(rows_path, need_labels=True)
    keep = np.ones(len(rows.ids), dtype=bool)
    model, columns = fit_sklearn(rows, keep, rows.labels, 0.3)
    weights = {slot: float(model.coef_[0][column]) for slot, column in columns.items()}
    part = LinearPart(intercept=float(model.intercept_[0]), weights=weights, threshold=0.5)
    expected = model.predict_proba(to_matrix(rows.slots, columns))[:, 1]
    ours = np.array([score(part, slots) for slots in rows.slots])
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)


def test_fit_learns_the_signal_and_picks_a_threshold_on_older_rows_only(tmp_path: Path) -> None:
    rows_path = tmp_path / "rows.jsonl"
    _write_rows(rows_path, 200)
    model = fit_model(read_rows(rows_path, need_labels=True), feature_version="v", dimension=2048)
    weights = model["backport"]["weights"]
    # The slots that make a row positive ("crash", "leak", "panic", "race") outweigh every other.
    signal = ("0", "1", "2", "7")
    assert min(weights[slot] for slot in signal) > 0.1
    assert max(weight for slot, weight in weights.items() if slot not in signal) < 0
    assert 0.0 < model["backport"]["threshold"] < 1.0
    assert model["selection"]["grid"], "the inner time-ordered selection ran"
    assert model["trained_on"] == {
        "rows": 200,
        "backported": model["trained_on"]["backported"],
        "waited": model["trained_on"]["waited"],
        "until_ms": 1_700_000_000_199.0,
    }
    assert "weights" in model["wait"]


def test_too_little_history_is_refused_with_the_fix(tmp_path: Path) -> None:
    rows_path = tmp_path / "rows.jsonl"
    rows_path.write_text(
        "".join(json.dumps({"id": f"c{i}", "t": i, "x": {"1": 1.0}, "y": int(i < 2)}) + "\n" for i in range(12))
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "trainer",
            "backports",
            "fit",
            "--rows",
            str(rows_path),
            "--out",
            str(tmp_path / "m.json"),
            "--feature-version",
            "v",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "not enough history" in run.stderr and "2 positive and 10 negative" in run.stderr
    assert not (tmp_path / "m.json").exists()


def test_a_bad_row_names_its_line(tmp_path: Path) -> None:
    rows_path = tmp_path / "rows.jsonl"
    rows_path.write_text('{"id": "a", "t": 1, "x": {"1": 1.0}, "y": 1}\n{"id": "b", "x": {}, "y": 3}\n')
    with pytest.raises(ValueError, match=r"rows.jsonl:2 is not a feature row"):
        read_rows(rows_path, need_labels=True)


def test_the_learner_does_not_import_torch() -> None:
    code = "import sys, trainer.backports.command; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
