"""CPU training benchmark of the smollm2-135m profile: a fixed small run on the real checkpoint.

    npm run bench:train-cpu        (= python3 -m trainer.bench_cpu)

Runs TorchTune's LoRA recipe in-process with the profile's own YAML (dtype,
batch, LoRA, tokenizer as a real CPU run uses them) on the prepared SmolLM2
checkpoint, on identical synthetic review chats of a fixed length, for a fixed
number of optimizer steps; the first step (warm-up) is not measured. Last line:

    profile=smollm2-135m tokens_per_s=<n> peak_rss_mb=<n> step_s=<n> flop_utilisation=<fraction>

- tokens_per_s: every token through forward and backward (prompt and comment) per second.
- peak_rss_mb: this process's peak resident memory (getrusage), model load included.
- step_s: median seconds per optimizer step (batch x accumulation examples).
- flop_utilisation: tokens_per_s x FLOP per token / this CPU's peak. FLOP per token =
  4 x the model's matmul parameters (forward 2N, backward through activations 2N; the
  frozen base needs no weight gradients) + attention scores. The peak is physical cores x
  clock (``cpu MHz`` of /proc/cpuinfo, or lscpu's max MHz when it shows one) x FLOP per
  cycle per core for the dtype the run used, from the ISA flags: fp32 with AVX-512F 64
  (2 FMA units x 16 lanes x 2), with AVX2+FMA 32 (2 x 8 x 2); bf16 with AMX 2048, with
  AVX-512 BF16 128 (VDPBF16PS, 2 units), without them the fp32 figure (bf16 is emulated).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from trainer.train_config import add_set_argument

STEP_TIMES: list[float] = []
STEP_CPU_TIMES: list[float] = []


class StepClock:
    """Metric logger that records when each optimizer step ends (wall clock and this process's CPU time)."""

    def __init__(self, **_ignored: Any) -> None:
        STEP_TIMES.clear()
        STEP_CPU_TIMES.clear()
        STEP_TIMES.append(time.monotonic())
        STEP_CPU_TIMES.append(time.process_time())

    def log_dict(self, payload: dict[str, Any], step: int) -> None:
        STEP_TIMES.append(time.monotonic())
        STEP_CPU_TIMES.append(time.process_time())
        print(f"step {step}: loss {float(payload['loss']):.3f}", file=sys.stderr)

    def log(self, name: str, data: Any, step: int) -> None:
        """Single scalars are not used by the recipe's step logging."""

    def log_config(self, config: Any) -> None:
        """Config is not part of the result."""

    def close(self) -> None:
        """Nothing to release."""


def cpu_flags() -> set[str]:
    text = Path("/proc/cpuinfo").read_text()
    return set(next(line for line in text.splitlines() if line.startswith("flags")).split(":", 1)[1].split())


def clock_hz() -> float:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    for line in lscpu.splitlines():
        if line.startswith("CPU max MHz"):
            return float(line.split(":")[1]) * 1e6
    text = Path("/proc/cpuinfo").read_text()
    return float(next(line for line in text.splitlines() if line.startswith("cpu MHz")).split(":")[1]) * 1e6


def flop_per_cycle(dtype: str, flags: set[str]) -> int:
    if dtype == "bf16" and "amx_bf16" in flags:
        return 2048
    if dtype == "bf16" and "avx512_bf16" in flags:
        return 128
    if "avx512f" in flags:
        return 64
    if "avx2" in flags and "fma" in flags:
        return 32
    return 8  # SSE: 4 lanes x (mul + add), one unit


def flop_per_token(hf: dict[str, Any], seq_len: int) -> float:
    hidden, layers = hf["hidden_size"], hf["num_hidden_layers"]
    kv = hf["num_key_value_heads"] * hidden // hf["num_attention_heads"]
    per_layer = 2 * hidden * hidden + 2 * hidden * kv + 3 * hidden * hf["intermediate_size"]
    matmul_params = layers * per_layer + hidden * hf["vocab_size"]  # + the output head
    attention = layers * 2 * 2 * seq_len / 2 * hidden  # QK^T and AV, causal: half the positions
    return 4 * matmul_params + 2 * attention


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.bench_cpu", description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, help="prepared checkpoint (default: the cache dir)")
    parser.add_argument("--steps", type=int, default=3, help="optimizer steps; the first is warm-up")
    parser.add_argument("--seq-len", type=int, default=128, help="tokens per example")
    add_set_argument(parser, "override a key of the profile's YAML, as the train command's --set (repeatable)")
    args = parser.parse_args(argv)

    from trainer.cpu_threads import physical_cores, use_physical_cores, wait_passively

    wait_passively()  # as the train command does, before torch loads
    threads = use_physical_cores()

    from trainer.cpu_budget import ChatMessage
    from trainer.prepare_model import prepare_model
    from trainer.profiles import default_model_dir, get_profile
    from trainer.recipe_runner import load_recipe_class
    from trainer.train_config import HyperParameters, build_config
    from trainer.train_inputs import check_base_model

    profile = get_profile("smollm2-135m")
    model_dir = args.model_dir or default_model_dir(profile)
    prepare_model(profile, model_dir)
    base = check_base_model(model_dir, profile)
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as tmp:
        work = Path(tmp)
        hunk = "\n".join(f"R{i}  + total = sum(item.price for item in cart_{i})" for i in range(1, 200))
        chat = [
            {"role": "system", "content": "You predict how alice reviews pull requests in acme/widgets."},
            {"role": "user", "content": f"File: src/cart.py\n\n{hunk}"},
            {"role": "assistant", "content": "R3: nit: name the generator, it is read twice."},
        ]
        cfg = build_config(
            profile.config,
            dataset=work / "data.jsonl",
            base_model=base,
            run_dir=work / "run",
            events_fd=1,
            hyper=HyperParameters(epochs=1, max_seq_len=args.seq_len, max_steps_per_epoch=args.steps),
            sets=["dataset.train_on_input=True", *args.sets],
            examples=10**6,
        )
        cfg.metric_logger = {"_component_": f"{__name__}.StepClock"}
        cfg.pop("cpu_budget")  # a fixed run, not a budgeted one
        per_step = cfg.batch_size * cfg.gradient_accumulation_steps
        (work / "data.jsonl").write_text((json.dumps({"messages": chat}) + "\n") * (per_step * args.steps))
        from torchtune import config as tune_config

        tokenizer = tune_config.instantiate(cfg.tokenizer)
        example_tokens = len(tokenizer.tokenize_messages([ChatMessage(m["role"], m["content"]) for m in chat])[0])

        recipe = load_recipe_class()(cfg=cfg)
        recipe.setup(cfg=cfg)
        recipe.train()
        recipe.cleanup()

    step_seconds = [b - a for a, b in itertools.pairwise(STEP_TIMES)][1:]
    step_cpu_seconds = [b - a for a, b in itertools.pairwise(STEP_CPU_TIMES)][1:]
    step_s = statistics.median(step_seconds)
    tokens_per_s = per_step * example_tokens / step_s
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    flags, cores, hz = cpu_flags(), physical_cores(), clock_hz()
    per_cycle = flop_per_cycle(str(cfg.dtype), flags)
    peak = cores * hz * per_cycle
    flop = flop_per_token(base.config, example_tokens)
    utilisation = tokens_per_s * flop / peak
    # The same FLOP over the CPU time the process got, against one core's peak: what the cores
    # it ran on achieved, whatever else the machine ran meanwhile (equal to flop_utilisation when
    # it had every core to itself the whole time and no thread waited).
    cpu_s = sum(step_cpu_seconds)
    cpu_utilisation = per_step * example_tokens * len(step_seconds) * flop / (cpu_s * hz * per_cycle)
    print(
        f"dtype={cfg.dtype} cores={cores} threads={threads} clock_ghz={hz / 1e9:.2f} flop_per_cycle={per_cycle} "
        f"peak_gflops={peak / 1e9:.1f} example_tokens={example_tokens} per_step={per_step} "
        f"measured_steps={len(step_seconds)} cpu_s_per_s={cpu_s / sum(step_seconds):.2f} "
        f"flop_utilisation_of_cpu_time={cpu_utilisation:.4f} load_average={' '.join(map(str, os.getloadavg()))}",
        file=sys.stderr,
    )
    print(
        f"profile={profile.name} tokens_per_s={tokens_per_s:.1f} peak_rss_mb={peak_rss_mb:.0f} "
        f"step_s={step_s:.2f} flop_utilisation={utilisation:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
