"""GPU training benchmark of the llama3-8b profile: its LoRA model with random weights, synthetic tokens.

    npm run bench:train-gpu        (= python3 -m trainer.bench_gpu)

Builds the profile's model from its own YAML (``lora_llama3_8b`` with the YAML's
LoRA targets, rank, alpha and dropout, in the YAML's dtype, on CUDA), and trains
it the way TorchTune 0.6.1's ``lora_finetune_single_device`` recipe does: the
same adapter-only trainable set, activation checkpointing on every transformer
layer when the YAML enables it, the YAML's chunked cross-entropy loss, optimizer
and LR schedule, micro-batches of the YAML's ``batch_size`` with its
``gradient_accumulation_steps`` and the recipe's token-count loss scaling. The
weights are TorchTune's random initialisation and the tokens random ids:
throughput does not depend on their values, and an 8B checkpoint cannot reach
every GPU host. What it leaves out is the recipe's data loading (tokenising and
padding on the CPU), which overlaps nothing here but is small beside an 8B step.

Every example is ``--seq-len`` tokens (default 800, about a real review example:
a system turn, a diff hunk and a one-line comment; docs/fidelity's sipa train.jsonl
averaged roughly 800 tokens); ``--seq-len max`` uses the
YAML's ``tokenizer.max_seq_len``, the worst case the YAML's memory comment is
about. The loss is on the last ``--answer-tokens`` of each example only, as
``train_on_input: False`` does; ``--no-checkpointing`` is an experiment against
the YAML. After ``--warmup`` optimizer steps (CUDA context,
cuBLAS handles and allocator growth), ``--steps`` steps are timed one by one with
a device synchronise at each end. Last line:

    profile=llama3-8b device=<gpu> tokens_per_s=<n> peak_gpu_mem_gb=<n> step_s=<n> mfu=<fraction>

- tokens_per_s: every token through forward and backward (prompt and comment) per second.
- peak_gpu_mem_gb: torch.cuda.max_memory_allocated over the whole run, in 10^9 bytes.
- step_s: median seconds per optimizer step (batch_size x gradient_accumulation_steps examples).
- mfu: model FLOPs per second / the GPU's dense bf16 peak from its vendor's datasheet (H100 and
  H200 SXM: 989 TFLOP/s; lora_flops.PEAK_BF16_FLOPS), not a measured ceiling (none is
  committed). Model FLOPs per token are lora_flops.model_flops_per_token:
  6 x LoRA parameters + 4 x frozen matmul parameters (forward 2N and backward through the
  activations 2N, no weight gradients) + 3 x causal attention's forward. Activation
  checkpointing's re-run forward is NOT counted in mfu; the stderr line's hfu counts it as well.
- Also on stderr, labelled EXTRAPOLATION: an epoch of ``--epoch-examples`` examples at the
  measured step time, and the YAML's epochs of them.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from trainer.lora_flops import LLAMA3_8B_DIMS, model_flops_per_token, peak_bf16_flops
from trainer.profiles import get_profile

PROFILE = "llama3-8b"
DEFAULT_SEQ_LEN = 800
# A 2-layer model with the 8B's vocabulary, for a CPU run that checks the plumbing only.
TINY_DIMS = {
    "_component_": "torchtune.models.llama3.lora_llama3",
    "vocab_size": 128_256,
    "num_layers": 2,
    "num_heads": 4,
    "num_kv_heads": 2,
    "embed_dim": 64,
    "intermediate_dim": 128,
    "max_seq_len": 8192,
}


@dataclasses.dataclass(frozen=True)
class BenchSettings:
    """What the bench takes from the profile's YAML."""

    model: dict[str, Any]
    dtype: str
    batch_size: int
    accumulation: int
    max_seq_len: int
    activation_checkpointing: bool
    epochs: int


def read_settings(config_path: Path) -> BenchSettings:
    """The YAML's model, batch, sequence cap and checkpointing settings, as the recipe reads them."""
    from omegaconf import OmegaConf

    cfg = OmegaConf.load(config_path)
    return BenchSettings(
        model=OmegaConf.to_container(cfg.model, resolve=True),
        dtype=str(cfg.dtype),
        batch_size=int(cfg.batch_size),
        accumulation=int(cfg.gradient_accumulation_steps),
        max_seq_len=int(cfg.tokenizer.max_seq_len),
        activation_checkpointing=bool(cfg.enable_activation_checkpointing),
        epochs=int(cfg.epochs),
    )


def epoch_seconds(examples: int, settings: BenchSettings, step_s: float) -> float:
    """The recipe's optimizer steps per epoch (whole micro-batches // accumulation) x measured step time."""
    steps = math.ceil(examples / settings.batch_size) // settings.accumulation
    return steps * step_s


def parse_seq_len(value: str, settings: BenchSettings) -> int:
    seq_len = settings.max_seq_len if value == "max" else int(value)
    if not 2 <= seq_len <= settings.max_seq_len:
        raise ValueError(
            f"--seq-len {value}: must be 2..{settings.max_seq_len} (the YAML's tokenizer.max_seq_len, "
            "which the trainer cuts longer examples to) or 'max'."
        )
    return seq_len


def build_model(settings: BenchSettings, device: Any, tiny: bool) -> tuple[Any, dict[str, Any]]:
    """The YAML's model, randomly initialised on ``device``, set up as the recipe's _setup_model does."""
    import torch
    from omegaconf import OmegaConf
    from torchtune import config, modules, training
    from torchtune.modules.peft import get_adapter_params, set_trainable_params

    model_cfg = {**settings.model, **TINY_DIMS} if tiny else settings.model
    with training.set_default_dtype(training.get_dtype(settings.dtype, device=device)), device:
        model = config.instantiate(OmegaConf.create(model_cfg))
    adapter_params = get_adapter_params(model)
    set_trainable_params(model, adapter_params)
    if settings.activation_checkpointing:
        training.set_activation_checkpointing(model, auto_wrap_policy={modules.TransformerSelfAttentionLayer})
    dims = {key: TINY_DIMS[key] for key in LLAMA3_8B_DIMS} if tiny else LLAMA3_8B_DIMS
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    print(f"model: {total:,} parameters, {trainable:,} trainable (LoRA)", file=sys.stderr)
    torch.manual_seed(0)
    return model, dims


def train_steps(
    model: Any, settings: BenchSettings, args: argparse.Namespace, device: Any
) -> tuple[list[float], float]:
    """Runs warm-up + timed optimizer steps as the recipe's train loop does; returns step seconds and last loss."""
    import torch
    from omegaconf import OmegaConf
    from torchtune import config, training

    cfg = OmegaConf.load(get_profile(PROFILE).config)
    loss_fn = config.instantiate(cfg.loss)
    if loss_fn.__class__.__name__ == "CEWithChunkedOutputLoss":
        model.set_num_output_chunks(loss_fn.num_output_chunks)
    optimizer = config.instantiate(cfg.optimizer, model.parameters())
    total_steps = args.warmup + args.steps
    scheduler = config.instantiate(cfg.lr_scheduler, optimizer, num_training_steps=total_steps, last_epoch=-1)
    vocab = model.tok_embeddings.num_embeddings
    shape = (settings.batch_size, args.seq_len)
    ignore = torch.full((settings.batch_size, 1), loss_fn.ignore_index, device=device)
    seconds: list[float] = []
    loss_value = math.nan
    for step in range(total_steps):
        started = time.perf_counter()
        num_tokens = torch.zeros((), device=device)
        running_loss = torch.zeros((), device=device)
        for _ in range(settings.accumulation):
            tokens = torch.randint(0, vocab, shape, device=device)
            labels = tokens.clone()
            labels[:, : args.seq_len - args.answer_tokens] = loss_fn.ignore_index
            current_tokens = (labels != loss_fn.ignore_index).sum()
            num_tokens += current_tokens
            logits = model(tokens)
            labels = torch.hstack((labels[..., 1:], ignore))
            if not isinstance(logits, list):
                labels, logits = labels.reshape(-1), logits.reshape(-1, logits.size(-1))
            loss = loss_fn(logits, labels) * current_tokens
            del logits
            running_loss += loss.detach()
            loss.backward()
        training.scale_grads(model, 1 / num_tokens)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        scheduler.step()
        loss_value = (running_loss / num_tokens).item()  # synchronises, like the recipe's .item()
        if device.type == "cuda":
            torch.cuda.synchronize()
        elapsed = time.perf_counter() - started
        phase = "warm-up" if step < args.warmup else "timed"
        print(f"step {step + 1}/{total_steps} ({phase}): loss {loss_value:.3f}, {elapsed:.3f} s", file=sys.stderr)
        if step >= args.warmup:
            seconds.append(elapsed)
    if not math.isfinite(loss_value):
        raise RuntimeError(f"the loss is {loss_value}: the run is broken, its timing means nothing")
    return seconds, loss_value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.bench_gpu", description=__doc__.splitlines()[0])
    parser.add_argument("--seq-len", default=str(DEFAULT_SEQ_LEN), help="tokens per example, or 'max'")
    parser.add_argument("--answer-tokens", type=int, default=32, help="tokens per example the loss is on")
    parser.add_argument("--warmup", type=int, default=2, help="optimizer steps before timing")
    parser.add_argument("--steps", type=int, default=6, help="timed optimizer steps")
    parser.add_argument("--epoch-examples", type=int, default=860, help="examples for the epoch extrapolation")
    parser.add_argument(
        "--no-checkpointing", action="store_true", help="an experiment: activation checkpointing off, against the YAML"
    )
    parser.add_argument("--tiny", action="store_true", help="a 2-layer model on CPU: checks the plumbing only")
    args = parser.parse_args(argv)

    settings = read_settings(get_profile(PROFILE).config)
    if args.no_checkpointing:
        settings = dataclasses.replace(settings, activation_checkpointing=False)
    try:
        args.seq_len = parse_seq_len(args.seq_len, settings)
    except ValueError as error:
        parser.error(str(error))
    args.answer_tokens = min(args.answer_tokens, args.seq_len - 1)

    import torch

    if not args.tiny and not torch.cuda.is_available():
        print(
            f"bench_gpu: no CUDA GPU visible to torch {torch.__version__}; profile {PROFILE} trains only on one. "
            "Run it on a GPU host, or add --tiny for a CPU plumbing check (no numbers worth reporting).",
            file=sys.stderr,
        )
        return 2
    device = torch.device("cpu" if args.tiny else "cuda")
    model, dims = build_model(settings, device, args.tiny)
    seconds, loss = train_steps(model, settings, args, device)

    step_s = statistics.median(seconds)
    tokens_per_s = settings.batch_size * settings.accumulation * args.seq_len / step_s
    flops = model_flops_per_token(dims, settings.model, args.seq_len)
    device_name = torch.cuda.get_device_name() if device.type == "cuda" else "cpu"
    peak = peak_bf16_flops(device_name)
    mfu = f"{tokens_per_s * flops['model'] / peak:.4f}" if peak else "n/a"
    recompute = flops["recompute"] if settings.activation_checkpointing else 0.0
    hfu = f"{tokens_per_s * (flops['model'] + recompute) / peak:.4f}" if peak else "n/a"
    peak_mem_gb = torch.cuda.max_memory_allocated() / 1e9 if device.type == "cuda" else 0.0
    reserved_gb = torch.cuda.max_memory_reserved() / 1e9 if device.type == "cuda" else 0.0
    epoch_s = epoch_seconds(args.epoch_examples, settings, step_s)
    print(
        f"seq_len={args.seq_len} batch_size={settings.batch_size} accumulation={settings.accumulation} "
        f"activation_checkpointing={settings.activation_checkpointing} dtype={settings.dtype} "
        f"timed_steps={len(seconds)} step_s_min={min(seconds):.3f} step_s_max={max(seconds):.3f} loss={loss:.3f} "
        f"model_gflop_per_token={flops['model'] / 1e9:.2f} recompute_gflop_per_token={recompute / 1e9:.2f} "
        f"peak_tflops={peak / 1e12 if peak else 'n/a'} hfu={hfu} peak_reserved_gb={reserved_gb:.1f}",
        file=sys.stderr,
    )
    print(
        f"EXTRAPOLATION (not measured): one epoch of {args.epoch_examples} examples, every one {args.seq_len} "
        f"tokens, = {epoch_s:.0f} s; the YAML's {settings.epochs} epochs = {settings.epochs * epoch_s:.0f} s "
        "(training only: no model load, no adapter save; real batches pad to their longest example)",
        file=sys.stderr,
    )
    print(
        f"profile={PROFILE} device={device_name.replace(' ', '_')} tokens_per_s={tokens_per_s:.1f} "
        f"peak_gpu_mem_gb={peak_mem_gb:.1f} step_s={step_s:.3f} mfu={mfu}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
