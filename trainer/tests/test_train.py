"""Tests for ``python -m trainer train``.

The slow part runs TorchTune's real lora_finetune_single_device recipe on CPU
for 2 steps on a tiny random-weight Llama 3 (see tiny_llama.py) through the
CLI as a subprocess, once per module, and checks its stdout contract and the
PEFT adapter it publishes. The rest are fast checks of input validation and
the progress logger.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.events import EventWriter
from trainer.progress_logger import JsonLinesProgressLogger
from trainer.tests.tiny_llama import TinyDims, write_tiny_llama3

REPO_ROOT = Path(__file__).resolve().parents[2]
DIMS = TinyDims()
RANK, ALPHA = 4, 8
STEPS = 2
ATTN = {"q_proj", "k_proj", "v_proj", "o_proj"}
MLP = {"gate_proj", "up_proj", "down_proj"}
PEFT_NAME = re.compile(r"^base_model\.model\.model\.layers\.(\d+)\.(self_attn|mlp)\.(\w+)\.lora_(A|B)\.weight$")


def example(i: int) -> dict:
    return {
        "messages": [
            {"role": "system", "content": "You review pull requests for acme/widgets as alice."},
            {"role": "user", "content": f"File src/app.py\n@@ -1,2 +1,3 @@\n+value_{i} = compute({i})\n"},
            {"role": "assistant", "content": f"nit: value_{i} needs a clearer name."},
        ]
    }


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def run_train(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "trainer", "train", *map(str, args)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def events_of(stdout: str) -> list[dict]:
    """Every stdout line must be a JSON object with an event field."""
    events = [json.loads(line) for line in stdout.splitlines()]
    assert all(isinstance(e, dict) and "event" in e for e in events), stdout
    return events


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_llama3(tmp_path_factory.mktemp("base") / "tiny-llama3")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("data") / "reviews.jsonl", [example(i) for i in range(8)])


def tiny_args(base_dir: Path, dataset: Path, output_dir: Path) -> list[str | Path]:
    sets = [
        "device=cpu",
        "dtype=fp32",
        "gradient_accumulation_steps=1",
        *DIMS.torchtune_model_overrides(),
    ]
    return [
        "--dataset", dataset,
        "--base-model-dir", base_dir,
        "--base-model-name", "meta-llama/Meta-Llama-3-8B-Instruct",
        "--output-dir", output_dir,
        "--rank", str(RANK), "--alpha", str(ALPHA),
        "--batch-size", "2", "--epochs", "1",
        "--max-steps-per-epoch", str(STEPS), "--max-seq-len", "128",
        *[item for s in sets for item in ("--set", s)],
    ]  # fmt: skip


@pytest.fixture(scope="module")
def trained(base_dir: Path, dataset: Path, tmp_path_factory: pytest.TempPathFactory):
    output_dir = tmp_path_factory.mktemp("adapters") / "acme-widgets-alice-v1"
    # A hang guard, not a speed target: a busy 2-core CI machine needs minutes for this.
    result = run_train(*tiny_args(base_dir, dataset, output_dir), timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return result, output_dir


# --- the real recipe -------------------------------------------------------


def test_progress_lines_then_done(trained) -> None:
    result, output_dir = trained
    events = events_of(result.stdout)
    progress = [e for e in events if e["event"] == "progress"]
    assert [e["step"] for e in progress] == list(range(1, STEPS + 1))
    for e in progress:
        assert set(e) == {
            "event", "step", "total_steps", "loss", "tokens_per_second", "eta_seconds", "epochs", "planned_epochs",
        }  # fmt: skip
        assert e["total_steps"] == STEPS
        # 8 examples in batches of 2: a whole pass is 4 steps, the run is capped at STEPS of them.
        assert e["epochs"] == e["step"] / 4 and e["planned_epochs"] == STEPS / 4
        assert isinstance(e["loss"], float) and e["loss"] > 0
        assert e["tokens_per_second"] > 0
        assert e["eta_seconds"] >= 0
    assert progress[-1]["eta_seconds"] == 0
    assert events[-1]["event"] == "done" and events.count(events[-1]) == 1
    done = events[-1]
    assert done["adapter_dir"] == str(output_dir)
    assert done["steps"] == STEPS
    assert done["examples"] == 8
    assert done["epochs"] == STEPS / 4
    assert done["train_seconds"] > 0
    # Bounded CPU memory is a promise of the CPU profile (README: <= 6 GB); a tiny run is far below.
    assert 0 < done["peak_rss_mb"] < 6_000


def test_adapter_dir_holds_exactly_a_peft_adapter(trained) -> None:
    _, output_dir = trained
    assert sorted(p.name for p in output_dir.iterdir()) == ["adapter_config.json", "adapter_model.safetensors"]
    # nothing left beside it: the staging dir is removed
    assert [p.name for p in output_dir.parent.iterdir()] == [output_dir.name]
    config = json.loads((output_dir / "adapter_config.json").read_text())
    assert config["peft_type"] == "LORA"
    assert config["task_type"] == "CAUSAL_LM"
    assert config["r"] == RANK
    assert config["lora_alpha"] == ALPHA and isinstance(config["lora_alpha"], int)
    assert config["base_model_name_or_path"] == "meta-llama/Meta-Llama-3-8B-Instruct"
    assert set(config["target_modules"]) == ATTN | MLP


def test_adapter_tensors_have_peft_names_and_base_shapes(trained, base_dir: Path) -> None:
    from safetensors import safe_open

    _, output_dir = trained
    base_shapes = DIMS.hf_weight_shapes()
    seen = set()
    trained_b = 0
    with safe_open(str(output_dir / "adapter_model.safetensors"), "pt") as adapter:
        names = adapter.keys()  # a safetensors handle, not a dict
        for name in names:
            match = PEFT_NAME.match(name)
            assert match, name
            layer, block, module, ab = match.groups()
            assert module in (ATTN if block == "self_attn" else MLP), name
            out_features, in_features = base_shapes[f"model.layers.{layer}.{block}.{module}.weight"]
            tensor = adapter.get_tensor(name)
            expected = (RANK, in_features) if ab == "A" else (out_features, RANK)
            assert tuple(tensor.shape) == expected, name
            if ab == "B":  # LoRA B starts at zero; two optimizer steps must move it
                trained_b += int(bool(tensor.abs().sum() > 0))
            seen.add((int(layer), module, ab))
    expected_names = {(i, m, ab) for i in range(DIMS.num_layers) for m in ATTN | MLP for ab in "AB"}
    assert seen == expected_names
    assert trained_b == len(ATTN | MLP) * DIMS.num_layers


def test_refuses_to_overwrite_the_adapter_it_wrote(trained, base_dir: Path, dataset: Path) -> None:
    _, output_dir = trained
    before = (output_dir / "adapter_model.safetensors").read_bytes()
    result = run_train(*tiny_args(base_dir, dataset, output_dir))
    assert result.returncode == 2
    [error] = events_of(result.stdout)
    assert error["event"] == "error" and "already holds an adapter" in error["message"]
    assert (output_dir / "adapter_model.safetensors").read_bytes() == before


# --- input validation (no TorchTune import, fast) --------------------------


def expect_bad_input(args: list, needle: str, timeout: float = 30) -> None:
    result = run_train(*args, timeout=timeout)
    assert result.returncode == 2, result.stderr
    [error] = events_of(result.stdout)
    assert error["event"] == "error"
    assert needle in error["message"], error["message"]


def common(base_dir: Path, dataset: Path, out: Path) -> list:
    return ["--dataset", dataset, "--base-model-dir", base_dir, "--base-model-name", "m", "--output-dir", out]


def test_missing_dataset_file(base_dir: Path, tmp_path: Path) -> None:
    expect_bad_input(common(base_dir, tmp_path / "nope.jsonl", tmp_path / "out"), "no such file")


def test_empty_dataset(base_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    expect_bad_input(common(base_dir, empty, tmp_path / "out"), "is empty")


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("not json", "line 2 is not valid JSON"),
        ({"text": "hi"}, "line 2 has no messages list"),
        ({"messages": []}, "empty messages list"),
        ({"messages": [{"role": "bot", "content": "x"}]}, "no valid role"),
        ({"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": ""}]}, "no text content"),
        ({"messages": [{"role": "user", "content": "x"}]}, "does not end with an assistant"),
    ],
)
def test_bad_dataset_lines_name_the_line(base_dir: Path, tmp_path: Path, row, needle: str) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [example(0), row])
    expect_bad_input(common(base_dir, data, tmp_path / "out"), needle)


@pytest.mark.parametrize(
    ("remove", "needle"),
    [
        ("config.json", "no config.json"),
        ("original/tokenizer.model", "no original/tokenizer.model"),
        ("model-00002-of-00002.safetensors", "missing model-00002-of-00002.safetensors"),
    ],
)
def test_incomplete_base_model_dir(base_dir: Path, dataset: Path, tmp_path: Path, remove: str, needle: str) -> None:
    broken = tmp_path / "base"
    for path in base_dir.rglob("*"):
        if path.is_file():
            (broken / path.relative_to(base_dir)).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, broken / path.relative_to(base_dir))
    (broken / remove).unlink()
    expect_bad_input(common(broken, dataset, tmp_path / "out"), needle)


def test_existing_adapter_is_never_overwritten(base_dir: Path, dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "acme-widgets-alice-v1"
    out.mkdir()
    (out / "adapter_config.json").write_text("{}")
    expect_bad_input(common(base_dir, dataset, out), "already holds an adapter")
    assert (out / "adapter_config.json").read_text() == "{}"


def test_too_few_examples_for_one_step(base_dir: Path, tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [example(0)])
    expect_bad_input(common(base_dir, data, tmp_path / "out"), "1 examples but one optimizer step takes")


def test_the_gpu_profile_is_refused_without_a_gpu(base_dir: Path, dataset: Path, tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("checks the refusal on a machine without a GPU")
    args = [*common(base_dir, dataset, tmp_path / "out"), "--batch-size", "2", "--set", "gradient_accumulation_steps=1"]
    # imports torch to ask for the GPU: slower than the other input checks
    expect_bad_input(args, "trains on a CUDA GPU (device: cuda) and this machine has none", timeout=120)
    assert not (tmp_path / "out").exists()


def test_trainer_owned_keys_cannot_be_set(base_dir: Path, dataset: Path, tmp_path: Path) -> None:
    args = [*common(base_dir, dataset, tmp_path / "out"), "--set", "output_dir=/tmp/x"]
    expect_bad_input(args, "set by the trainer")


# --- out of memory ---------------------------------------------------------


def test_out_of_memory_gets_its_own_message_and_exit_3(
    base_dir: Path, dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import torch

    from trainer import __main__ as cli
    from trainer import recipe_runner

    def out_of_memory(cfg, **_fields):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(recipe_runner, "run_recipe", out_of_memory)
    out = tmp_path / "out"
    args = [
        *common(base_dir, dataset, out),
        *("--batch-size", "2", "--set", "gradient_accumulation_steps=1", "--set", "device=cpu"),
    ]
    code = cli.main(["train", *map(str, args)])
    assert code == 3
    [error] = events_of(capfd.readouterr().out)
    assert error["event"] == "error"
    assert "out of memory" in error["message"] and "--batch-size" in error["message"]
    assert not out.exists() and list(tmp_path.iterdir()) == []  # staging dir removed


# --- progress logger -------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_logger_lines_and_eta() -> None:
    stream, clock = io.StringIO(), FakeClock()
    logger = JsonLinesProgressLogger(writer=EventWriter(stream), clock=clock)
    logger.start(total_steps=10)
    clock.now += 4.0
    logger.log_dict({"loss": 2.5, "lr": 1e-4, "tokens_per_second_per_gpu": 1234.5}, step=2)
    clock.now += 6.0
    logger.log_dict({"loss": float("nan"), "tokens_per_second_per_gpu": 1000.0}, step=5)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first == {
        "event": "progress", "step": 2, "total_steps": 10, "loss": 2.5,
        "tokens_per_second": 1234.5, "eta_seconds": 16.0,
    }  # fmt: skip
    assert second["eta_seconds"] == 10.0  # 10 s for 5 steps -> 2 s/step x 5 left
    assert second["loss"] is None  # NaN is not JSON


def test_progress_logger_states_the_epochs_reached_and_planned() -> None:
    stream = io.StringIO()
    logger = JsonLinesProgressLogger(writer=EventWriter(stream), clock=FakeClock())
    logger.start(total_steps=13, steps_per_epoch=10, budget_tokens=500)
    for step in (1, 13):
        logger.log_dict({"loss": 1.0}, step=step)
    first, last = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (first["epochs"], first["planned_epochs"], first["budget_tokens"]) == (0.1, 1.3, 500)
    assert (last["epochs"], last["planned_epochs"]) == (1.3, 1.3)
    with pytest.raises(ValueError, match="steps_per_epoch"):
        logger.start(total_steps=1, steps_per_epoch=0)


def test_progress_logger_accepts_tensors_and_is_usable_from_config() -> None:
    import torch

    read_fd, write_fd = os.pipe()
    logger = JsonLinesProgressLogger(fd=write_fd)  # how TorchTune builds it from the YAML
    logger.start(total_steps=1)
    logger.log_dict({"loss": torch.tensor(1.5), "tokens_per_second_per_gpu": torch.tensor(7.0)}, step=1)
    logger.close()
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        [line] = pipe.read().splitlines()
    event = json.loads(line)
    assert event["loss"] == 1.5 and event["tokens_per_second"] == 7.0 and event["eta_seconds"] == 0


def test_progress_logger_rejects_negative_total() -> None:
    with pytest.raises(ValueError, match="total_steps"):
        JsonLinesProgressLogger(writer=EventWriter(io.StringIO())).start(-1)
