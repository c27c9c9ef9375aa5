"""FLOP per trained token of a LoRA fine-tune of a Llama-shaped model, and GPUs' bf16 peaks.

Kept apart from bench_gpu so that it imports nothing heavy and is tested on any machine.
What is counted, per token: 6 x the LoRA matrices' parameters (forward, input gradient,
weight gradient); 4 x the frozen matmul parameters (forward 2N, backward through the
activations 2N, no weight gradient), the output head included and the embedding lookup
(no matmul) not; 3 x causal attention's forward (QK^T and AV, each 2 x seq_len/2 x dim on
average; its backward is twice its forward). Activation checkpointing re-runs each
transformer layer's forward (not the head's) during the backward: returned apart as
``recompute`` because model FLOPs utilisation does not credit work the model does not need.
"""

from __future__ import annotations

from typing import Any

# Dense (not 2:4 sparse) bf16 tensor-core peaks from NVIDIA's datasheets, by a substring of
# torch.cuda.get_device_name(), first match wins (the PCIe H100 before the SXM one); a GPU not
# listed gets no mfu.
PEAK_BF16_FLOPS = {"H200": 989e12, "H100 PCIe": 756e12, "H100": 989e12, "A100": 312e12}
# lora_llama3_8b's fixed dimensions (torchtune/models/llama3/_model_builders.py); the builder
# takes only the LoRA arguments from the YAML.
LLAMA3_8B_DIMS = {
    "vocab_size": 128_256,
    "num_layers": 32,
    "num_heads": 32,
    "num_kv_heads": 8,
    "embed_dim": 4096,
    "intermediate_dim": 14_336,
}


def model_flops_per_token(dims: dict[str, int], lora: dict[str, Any], seq_len: int) -> dict[str, float]:
    """FLOP per trained token: ``model`` (what mfu counts) and ``recompute`` (checkpointing's extra forward)."""
    embed, layers, inter = dims["embed_dim"], dims["num_layers"], dims["intermediate_dim"]
    kv = dims["num_kv_heads"] * embed // dims["num_heads"]
    shapes = {"q_proj": (embed, embed), "k_proj": (embed, kv), "v_proj": (embed, kv), "output_proj": (embed, embed)}
    linears = list(shapes.items()) + [(m, (embed, inter)) for m in ("w1", "w3")] + [("w2", (inter, embed))]
    adapted = set(lora["lora_attn_modules"]) | ({"w1", "w2", "w3"} if lora["apply_lora_to_mlp"] else set())
    frozen_layer = sum(i * o for _, (i, o) in linears)
    lora_layer = sum(lora["lora_rank"] * (i + o) for name, (i, o) in linears if name in adapted)
    head = embed * dims["vocab_size"]
    attention_forward = layers * 2 * 2 * (seq_len / 2) * embed  # QK^T and AV, causal: half the positions
    layer_forward = layers * 2 * (frozen_layer + lora_layer) + attention_forward
    model = 4 * (layers * frozen_layer + head) + 6 * layers * lora_layer + 3 * attention_forward
    return {"model": model, "recompute": layer_forward}


def peak_bf16_flops(device_name: str) -> float | None:
    return next((peak for key, peak in PEAK_BF16_FLOPS.items() if key in device_name), None)
