"""The published adapter means in transformers + PEFT what it meant in TorchTune.

Trains a few steps on the real SmolLM2-135M (conftest), then loads base +
published adapter with transformers and peft==0.18.1 (offline) and compares
logits with TorchTune's own model holding the trained LoRA. The test has
power: the LoRA must move the logits far more than the tolerance, and three
adapters broken on purpose (mis-scaled, transposed, RoPE permutation missing)
must fail the same comparison.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from trainer.tests.smollm2_run import TrainedRun

os.environ["HF_HUB_OFFLINE"] = "1"  # PEFT otherwise tries to fetch the base model's config

TOLERANCE = 1e-3  # fp32 on both sides; FACTS.md measured 3.6e-7 for a matching adapter
LORA_EFFECT_AT_LEAST = 50 * TOLERANCE


def max_difference(a, b) -> float:
    return float((a - b).abs().max())


@pytest.fixture(scope="module")
def hf_base(smollm2_trained: TrainedRun):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(smollm2_trained.base_dir, dtype=torch.float32)
    return model.eval()


def peft_logits(hf_base, adapter_dir: Path, tokens: list[int]):
    import torch
    from peft import PeftModel

    model = PeftModel.from_pretrained(hf_base, str(adapter_dir))
    try:
        with torch.no_grad():
            return model(torch.tensor([tokens])).logits.float()
    finally:
        model.unload()  # takes the LoRA layers out again, so the next adapter starts from the plain base


def broken_copy(source: Path, target: Path, *, tensors=None, config=None) -> Path:
    from safetensors.torch import load_file, save_file

    shutil.copytree(source, target)
    weights = load_file(str(source / "adapter_model.safetensors"))
    if tensors:
        weights = tensors(weights)
    save_file(weights, str(target / "adapter_model.safetensors"))
    settings = json.loads((source / "adapter_config.json").read_text())
    if config:
        settings = config(settings)
    (target / "adapter_config.json").write_text(json.dumps(settings))
    return target


def test_training_moved_the_logits(smollm2_trained: TrainedRun) -> None:
    effect = max_difference(smollm2_trained.tune_logits, smollm2_trained.tune_base_logits)
    assert effect > LORA_EFFECT_AT_LEAST, f"the LoRA changed the logits by only {effect}: the test would have no power"


def test_peft_logits_equal_torchtunes(smollm2_trained: TrainedRun, hf_base) -> None:
    import torch

    with torch.no_grad():
        base = hf_base(torch.tensor([smollm2_trained.tokens])).logits.float()
    # The prepared checkpoint itself is the same model on both sides.
    assert max_difference(base, smollm2_trained.tune_base_logits) < TOLERANCE
    logits = peft_logits(hf_base, smollm2_trained.adapter_dir, smollm2_trained.tokens)
    assert max_difference(logits, smollm2_trained.tune_logits) < TOLERANCE


def _double_alpha(settings: dict) -> dict:
    return {**settings, "lora_alpha": settings["lora_alpha"] * 2}


def _transpose_o_proj(weights: dict) -> dict:
    # o_proj is square (576 x 576): swapping A <-> B^T loads without a shape error and applies
    # (B A)^T, what a converter mixing up fan_in/fan_out would publish.
    out = dict(weights)
    for name in weights:
        if ".o_proj.lora_A." in name:
            b_name = name.replace("lora_A", "lora_B")
            out[name], out[b_name] = weights[b_name].T.contiguous(), weights[name].T.contiguous()
    return out


def _undo_rope_permutation(weights: dict) -> dict:
    # TorchTune permutes q/k lora_B rows into Hugging Face's rotary layout on export; an adapter
    # written without that permutation has every row in place but in the wrong order.
    heads = {"q_proj": 9, "k_proj": 3}
    out = dict(weights)
    for name, tensor in weights.items():
        for module, n_heads in heads.items():
            if f".{module}.lora_B." in name:
                rows, rank = tensor.shape
                head_dim = rows // n_heads
                out[name] = (
                    tensor.view(n_heads, 2, head_dim // 2, rank).transpose(1, 2).reshape(rows, rank).contiguous()
                )
    return out


@pytest.mark.parametrize(
    ("broken", "change"),
    [
        ("mis-scaled (lora_alpha doubled)", {"config": _double_alpha}),
        ("transposed o_proj update", {"tensors": _transpose_o_proj}),
        ("q/k without the RoPE permutation", {"tensors": _undo_rope_permutation}),
    ],
)
def test_a_broken_adapter_fails_the_comparison(
    smollm2_trained: TrainedRun, hf_base, tmp_path: Path, broken: str, change: dict
) -> None:
    adapter = broken_copy(smollm2_trained.adapter_dir, tmp_path / "broken", **change)
    logits = peft_logits(hf_base, adapter, smollm2_trained.tokens)
    difference = max_difference(logits, smollm2_trained.tune_logits)
    assert difference > TOLERANCE, f"{broken}: differs by only {difference}, the comparison cannot tell"
