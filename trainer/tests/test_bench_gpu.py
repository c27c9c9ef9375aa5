"""bench_gpu without a GPU: its FLOP count against TorchTune's real 8B builder, the YAML it reads,
the refusal without CUDA, and a CPU dry run of its training loop on a 2-layer model."""

from __future__ import annotations

import re

import pytest
import torch
from omegaconf import OmegaConf
from torchtune import config

from trainer import bench_gpu
from trainer.lora_flops import LLAMA3_8B_DIMS, model_flops_per_token, peak_bf16_flops
from trainer.profiles import get_profile

LAST_LINE = re.compile(
    r"^profile=llama3-8b device=(\S+) tokens_per_s=([\d.]+) peak_gpu_mem_gb=([\d.]+) step_s=([\d.]+) mfu=(\S+)$"
)


@pytest.fixture(scope="module")
def settings() -> bench_gpu.BenchSettings:
    return bench_gpu.read_settings(get_profile("llama3-8b").config)


def test_reads_the_production_yaml(settings):
    yaml = OmegaConf.load(get_profile("llama3-8b").config)
    assert settings.model["_component_"] == "torchtune.models.llama3.lora_llama3_8b"
    assert settings.model["lora_rank"] == yaml.model.lora_rank
    assert settings.batch_size * settings.accumulation == yaml.batch_size * yaml.gradient_accumulation_steps
    assert bench_gpu.parse_seq_len("max", settings) == yaml.tokenizer.max_seq_len
    with pytest.raises(ValueError, match=f"2..{yaml.tokenizer.max_seq_len}"):
        bench_gpu.parse_seq_len(str(yaml.tokenizer.max_seq_len + 1), settings)


def test_flop_count_matches_torchtunes_8b_model(settings):
    """4 x frozen matmul weights + 6 x LoRA weights, counted on the real builder's (meta) model."""
    with torch.device("meta"):
        model = config.instantiate(OmegaConf.create(settings.model))
    params = dict(model.named_parameters())
    lora = sum(p.numel() for name, p in params.items() if "lora_" in name)
    frozen = sum(p.numel() for name, p in params.items() if "lora_" not in name and p.dim() == 2)
    frozen -= params["tok_embeddings.weight"].numel()  # a lookup, not a matmul
    assert 40e6 < lora < 44e6  # the YAML's "~42M parameters" at rank 16 on every linear layer
    flops = model_flops_per_token(LLAMA3_8B_DIMS, settings.model, seq_len=800)
    attention = 3 * 32 * 2 * 2 * 400 * 4096
    assert flops["model"] == pytest.approx(4 * frozen + 6 * lora + attention, rel=1e-9)
    longer = model_flops_per_token(LLAMA3_8B_DIMS, settings.model, seq_len=1600)
    assert longer["model"] - flops["model"] == pytest.approx(attention)
    # checkpointing re-runs the 32 layers' forward, not the output head's
    head = 4096 * 128_256
    assert flops["recompute"] == pytest.approx(2 * (frozen - head + lora) + attention / 3, rel=1e-9)


def test_peaks_and_epoch_extrapolation(settings):
    assert peak_bf16_flops("NVIDIA H200") == 989e12
    assert peak_bf16_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_bf16_flops("NVIDIA GeForce RTX 4090") is None
    tiny = bench_gpu.dataclasses.replace(settings, batch_size=8, accumulation=2)
    # 860 examples = 108 micro-batches of 8; the recipe steps on whole accumulations: 54 steps
    assert bench_gpu.epoch_seconds(860, tiny, step_s=2.0) == 108.0


def test_exits_2_with_a_clear_message_without_cuda(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert bench_gpu.main([]) == 2
    assert "no CUDA GPU" in capsys.readouterr().err


def test_tiny_dry_run_prints_the_result_line(capsys):
    assert bench_gpu.main(["--tiny", "--seq-len", "16", "--warmup", "0", "--steps", "1"]) == 0
    out, err = capsys.readouterr()
    match = LAST_LINE.match(out.strip().splitlines()[-1])
    assert match, out
    assert match.group(1) == "cpu"
    assert float(match.group(2)) > 0
    assert match.group(5) == "n/a"
    assert "EXTRAPOLATION (not measured)" in err
