"""Throughput benchmark: TorchTune's LoRA recipe on an 8B-shaped Llama 3 with random weights.

    python -m trainer.bench_gpu --steps 20 --seq-len 512 --batch-size 8

UNTESTED ON A GPU: written without one. Only ``--tiny`` (a 2-layer model on
CPU) has been run, which checks the plumbing, not the numbers.

Uses our YAML (trainer/configs/llama3_8B_lora.yaml) with two substitutions:
a checkpointer that returns random bf16 weights (no 16 GB download or disk
write) and a synthetic dataset of equal-length examples trained on every
token (``train_on_input=True``), so the recipe's tokens/s counts every token
that goes through forward and backward. Prints one JSON line:
median tokens/s over the steps after the first (which includes warm-up),
peak GPU memory, and the fraction of an H100's 989 TFLOP/s dense bf16 that
``tokens/s x 4 x 8.03e9`` FLOP/token represents (LoRA on a frozen base: forward
2N + backward through activations 2N; activation checkpointing adds another
2N of recomputation that this fraction deliberately does not credit).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from trainer.train_config import DEFAULT_CONFIG

H100_BF16_FLOPS = 989e12
FLOP_PER_TOKEN = 4 * 8.03e9
TINY_MODEL = {
    "_component_": "torchtune.models.llama3.lora_llama3",
    "vocab_size": 128_256,
    "num_layers": 2,
    "num_heads": 4,
    "num_kv_heads": 2,
    "embed_dim": 64,
    "intermediate_dim": 128,
    "max_seq_len": 4096,
}
STEP_TOKENS: list[float] = []  # tokens/s per step, filled by RecordingLogger


class RandomCheckpointer:
    """Stands in for FullModelHFCheckpointer: random base weights shaped like the configured model."""

    def __init__(self, model: dict[str, Any], seed: int = 0, **_ignored: Any) -> None:
        self._model_cfg = model
        self._seed = seed

    def load_checkpoint(self) -> dict[str, Any]:
        import torch
        from omegaconf import OmegaConf
        from torchtune import config, training

        base_cfg = {k: v for k, v in self._model_cfg.items() if not k.startswith("lora_") and k != "apply_lora_to_mlp"}
        base_cfg.pop("apply_lora_to_output", None)
        base_cfg["_component_"] = base_cfg["_component_"].replace("lora_", "")
        with torch.device("meta"):
            model = config.instantiate(OmegaConf.create(base_cfg))
        shapes = {k: v.shape for k, v in model.state_dict().items()}
        generator = torch.Generator().manual_seed(self._seed)
        state = {
            k: torch.randn(shape, generator=generator, dtype=torch.bfloat16).mul_(0.02) for k, shape in shapes.items()
        }
        return {training.MODEL_KEY: state}

    def save_checkpoint(self, state_dict: dict[str, Any], **_ignored: Any) -> None:
        """Nothing to save: the benchmark measures training only."""


class RecordingLogger:
    """Metric logger that keeps tokens/s per step and echoes each step to stderr."""

    def __init__(self, **_ignored: Any) -> None:
        STEP_TOKENS.clear()

    def log_dict(self, payload: dict[str, Any], step: int) -> None:
        tps = float(payload["tokens_per_second_per_gpu"])
        STEP_TOKENS.append(tps)
        print(f"step {step}: loss {float(payload['loss']):.3f}, {tps:.0f} tokens/s", file=sys.stderr)

    def log(self, name: str, data: Any, step: int) -> None:
        """Single scalars are not used by the recipe's step logging."""

    def log_config(self, config: Any) -> None:
        """Config is not part of the result."""

    def close(self) -> None:
        """Nothing to release."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.bench_gpu", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seq-len", type=int, default=512, help="tokens per example (all trained on)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument(
        "--tokenizer", type=Path, help="original/tokenizer.model of Llama 3 (default: a byte-level one)"
    )
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--tiny", action="store_true", help="2-layer model on CPU in fp32: a plumbing check only")
    args = parser.parse_args(argv)

    import torch
    from omegaconf import OmegaConf

    from trainer.byte_tokenizer import write_byte_level_tiktoken
    from trainer.recipe_runner import load_recipe_class

    with tempfile.TemporaryDirectory(prefix="bench-gpu-") as tmp:
        work = Path(tmp)
        tokenizer = args.tokenizer
        if tokenizer is None:
            tokenizer = work / "tokenizer.model"
            write_byte_level_tiktoken(tokenizer)
        data = work / "data.jsonl"
        # The byte-level tokenizer makes one token per ASCII byte; Llama 3's
        # own is denser, so the count is then approximate (the header tokens
        # of the chat template come on top).
        body = "x" * max(1, args.seq_len - 16)
        rows = [{"messages": [{"role": "user", "content": "review"}, {"role": "assistant", "content": body}]}]
        data.write_text("".join(json.dumps(r) + "\n" for r in rows * (args.steps * args.batch_size * 2)))

        cfg = OmegaConf.load(DEFAULT_CONFIG)
        overrides = {
            "output_dir": str(work / "out"),
            "checkpointer": {"_component_": f"{__name__}.RandomCheckpointer", "model": "${model}"},
            "tokenizer.path": str(tokenizer),
            "tokenizer.max_seq_len": args.seq_len,
            "dataset.data_files": str(data),
            "dataset.train_on_input": True,
            "metric_logger": {"_component_": f"{__name__}.RecordingLogger"},
            "batch_size": args.batch_size,
            "gradient_accumulation_steps": 1,
            "epochs": 1,
            "max_steps_per_epoch": args.steps,
        }
        if args.tiny:
            overrides |= {
                "model": {**OmegaConf.to_container(cfg.model), **TINY_MODEL},
                "device": "cpu",
                "dtype": "fp32",
            }
        for key, value in overrides.items():
            OmegaConf.update(cfg, key, value, merge=False, force_add=True)
        cfg = OmegaConf.merge(cfg, OmegaConf.from_dotlist(args.sets))
        # The recipe reads model_type from the checkpointer section.
        cfg.checkpointer.model_type = "LLAMA3"

        recipe = load_recipe_class()(cfg=cfg)
        recipe.setup(cfg=cfg)
        recipe.train()
        recipe.cleanup()

    measured = STEP_TOKENS[1:] or STEP_TOKENS
    tokens_per_second = statistics.median(measured)
    on_gpu = torch.cuda.is_available() and not args.tiny
    result = {
        "steps": len(STEP_TOKENS),
        "batch_size": args.batch_size,
        "seq_len": args.seq_len,
        "tokens_per_second": round(tokens_per_second, 1),
        "peak_gpu_memory_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if on_gpu else None,
        # Only meaningful for the 8B shape the FLOP count is for.
        "fraction_of_h100_bf16": None if args.tiny else round(tokens_per_second * FLOP_PER_TOKEN / H100_BF16_FLOPS, 4),
        "device": torch.cuda.get_device_name() if on_gpu else "cpu",
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
