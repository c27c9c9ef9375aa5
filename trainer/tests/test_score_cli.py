"""``python -m trainer score`` as a user runs it: output shape and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.tests.score_helpers import REPO_ROOT

LABELLED_PAIRS = [
    # commented by both, close line
    {"pred": "Please add a null check here.", "gold": "This can be null, guard it.",
     "gold_commented": True, "pred_commented": True, "gold_line": 10, "pred_line": 11},
    # commented by both, far line
    {"pred": "Rename `tmp` to something clearer.", "gold": "`tmp` is a confusing name.",
     "gold_commented": True, "pred_commented": True, "gold_line": 3, "pred_line": 30},
    # reviewer commented, model stayed silent: counts in BLEU only
    {"pred": "", "gold": "Missing a test for the error path.",
     "gold_commented": True, "pred_commented": False, "gold_line": 7, "pred_line": None},
    # model commented where the reviewer did not: no text metric
    {"pred": "nit: trailing whitespace", "gold": "",
     "gold_commented": False, "pred_commented": True, "gold_line": None, "pred_line": 2},
    {"pred": "", "gold": "", "gold_commented": False, "pred_commented": False},
]  # fmt: skip

TEXT_KEYS = {
    "n",
    "n_bleu",
    "bleu",
    "n_text",
    "chrf",
    "rouge_l",
    "embed_sim",
    "embed_sim_floor",
    "embed_sim_ci",
    "embed_sim_floor_ci",
    "chrf_ci",
    "chrf_floor",
    "bleu_ci",
    "bleu_floor",
}
LABEL_KEYS = {
    "n_labelled", "comment_precision", "comment_recall", "comment_f1", "n_line", "line_within_3",
}  # fmt: skip


def run_score(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", "score", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_last_line_is_one_json_summary_with_every_population(tmp_path: Path) -> None:
    pairs = write_lines(tmp_path / "pairs.jsonl", [json.dumps(p) for p in LABELLED_PAIRS])
    result = run_score("--pairs", str(pairs))
    assert result.returncode == 0, result.stderr
    *table, last = result.stdout.strip().splitlines()
    summary = json.loads(last)
    assert set(summary) == TEXT_KEYS | LABEL_KEYS
    assert (summary["n"], summary["n_bleu"], summary["n_text"]) == (5, 3, 2)
    assert (summary["n_labelled"], summary["n_line"]) == (5, 2)
    # TP 2, FP 1, FN 1
    assert summary["comment_precision"] == pytest.approx(66.67)
    assert summary["comment_recall"] == pytest.approx(66.67)
    assert summary["comment_f1"] == pytest.approx(66.67)
    assert summary["line_within_3"] == 50.0
    for key in ("bleu", "chrf", "rouge_l"):
        assert 0.0 <= summary[key] <= 100.0
    assert summary["embed_sim_floor"] < summary["embed_sim"] <= 1.0
    # Bootstrap intervals hold their point figure; every text figure has a shuffled floor.
    for key in ("embed_sim", "embed_sim_floor", "chrf", "bleu"):
        low, high = summary[f"{key}_ci"]
        assert low <= summary[key] <= high
    assert summary["chrf_floor"] < summary["chrf"] and summary["bleu_floor"] < summary["bleu"]
    assert any(line.startswith("BLEU-4") for line in table)
    assert any(line.startswith("comment F1") for line in table)


def test_without_labels_the_location_keys_are_absent(tmp_path: Path) -> None:
    pairs = write_lines(
        tmp_path / "pairs.jsonl",
        [json.dumps({"pred": "fix the typo", "gold": "typo in the name"})] * 2,
    )
    result = run_score("--pairs", str(pairs))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(summary) == TEXT_KEYS
    assert summary["n_text"] == 2


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    result = run_score("--pairs", str(missing))
    assert result.returncode == 2
    assert str(missing) in result.stderr
    assert "does not exist" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"pred": "a", "gold": ', "not valid JSON"),
        ('["a", "b"]', "expected a JSON object, got list"),
        ('{"pred": 5, "gold": "b"}', '"pred" must be a string'),
        ('{"pred": "a"}', '"gold" must be a string'),
        (
            '{"pred": "a", "gold": "b", "gold_commented": true}',
            '"pred_commented" must be',
        ),
        (
            '{"pred": "a", "gold": "b", "gold_commented": 1, "pred_commented": true}',
            '"gold_commented" must be',
        ),
        (
            json.dumps(
                {
                    "pred": "a",
                    "gold": "b",
                    "gold_commented": True,
                    "pred_commented": True,
                    "gold_line": "12",
                }
            ),
            '"gold_line" must be an integer',
        ),
        (
            json.dumps(
                {
                    "pred": "a",
                    "gold": "b",
                    "gold_commented": True,
                    "pred_commented": True,
                    "pred_line": True,
                }
            ),
            '"pred_line" must be an integer',
        ),
    ],
)
def test_malformed_line_exits_2_naming_the_line(tmp_path: Path, bad_line: str, message: str) -> None:
    good = json.dumps({"pred": "a", "gold": "b"})
    pairs = write_lines(tmp_path / "pairs.jsonl", [good, "", bad_line, good])
    result = run_score("--pairs", str(pairs))
    assert result.returncode == 2
    assert f"line 3 of {pairs}" in result.stderr
    assert message in result.stderr


def test_file_without_pairs_exits_2(tmp_path: Path) -> None:
    pairs = write_lines(tmp_path / "pairs.jsonl", ["", "  "])
    result = run_score("--pairs", str(pairs))
    assert result.returncode == 2
    assert "has no pairs" in result.stderr


def test_zero_batch_size_is_a_usage_error(tmp_path: Path) -> None:
    pairs = write_lines(tmp_path / "pairs.jsonl", [json.dumps({"pred": "a", "gold": "b"})])
    result = run_score("--pairs", str(pairs), "--batch-size", "0")
    assert result.returncode == 2
    assert "--batch-size" in result.stderr


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        (
            {"pred": "a", "gold": "", "gold_commented": True, "pred_commented": True},
            '"gold_commented" is true but "gold" is empty',
        ),
        (
            {"pred": "a", "gold": "b", "gold_commented": False, "pred_commented": True},
            '"gold_commented" is false but "gold" has text',
        ),
        (
            {"pred": " ", "gold": "b", "gold_commented": True, "pred_commented": True},
            '"pred_commented" is true but "pred" is empty',
        ),
        (
            {"pred": "a", "gold": "b", "gold_commented": True, "pred_commented": False},
            '"pred_commented" is false but "pred" has text',
        ),
    ],
)
def test_inconsistent_label_exits_2_naming_the_line(tmp_path: Path, pair: dict[str, object], message: str) -> None:
    good = json.dumps({"pred": "a", "gold": "b", "gold_commented": True, "pred_commented": True})
    pairs = write_lines(tmp_path / "pairs.jsonl", [good, json.dumps(pair)])
    result = run_score("--pairs", str(pairs))
    assert result.returncode == 2
    assert f"line 2 of {pairs}" in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_system_scores_only_its_lines_but_checks_all(tmp_path: Path) -> None:
    lines = [json.dumps({**pair, "system": "a"}) for pair in LABELLED_PAIRS]
    silent = {"pred": "", "pred_commented": False, "system": "b"}
    lines += [json.dumps({**pair, **silent}) for pair in LABELLED_PAIRS]
    pairs = write_lines(tmp_path / "pairs.jsonl", lines)
    summary_a = json.loads(run_score("--pairs", str(pairs), "--system", "a").stdout.splitlines()[-1])
    summary_b = json.loads(run_score("--pairs", str(pairs), "--system", "b").stdout.splitlines()[-1])
    assert summary_a["n"] == summary_b["n"] == len(LABELLED_PAIRS)
    assert summary_a["comment_recall"] > 0
    assert summary_b["comment_recall"] == 0
    bad = write_lines(tmp_path / "bad.jsonl", [*lines, json.dumps({"pred": 1, "gold": "", "system": "b"})])
    result = run_score("--pairs", str(bad), "--system", "a")
    assert result.returncode == 2
    assert f"line {len(lines) + 1} of {bad}" in result.stderr
