"""Builds a tiny Llama-3-shaped Hugging Face checkpoint dir for tests (random weights).

Same layout as a ``huggingface-cli download`` of Meta-Llama-3-8B-Instruct:
``config.json``, sharded ``model-0000N-of-0000M.safetensors`` with
``model.safetensors.index.json``, and a tiktoken-format
``original/tokenizer.model``. Only the sizes differ; the vocabulary keeps
Llama 3's 128,256 ids because the Llama 3 tokenizer's special tokens sit at
128000-128255.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from trainer.byte_tokenizer import write_byte_level_tiktoken


@dataclass(frozen=True)
class TinyDims:
    vocab_size: int = 128_256
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    embed_dim: int = 64
    intermediate_dim: int = 128
    max_seq_len: int = 256

    @property
    def head_dim(self) -> int:
        return self.embed_dim // self.num_heads

    def torchtune_model_overrides(self) -> list[str]:
        """--set lines that make the 8B config's model this tiny one."""
        return [
            "model._component_=torchtune.models.llama3.lora_llama3",
            f"model.vocab_size={self.vocab_size}",
            f"model.num_layers={self.num_layers}",
            f"model.num_heads={self.num_heads}",
            f"model.num_kv_heads={self.num_kv_heads}",
            f"model.embed_dim={self.embed_dim}",
            f"model.intermediate_dim={self.intermediate_dim}",
            f"model.max_seq_len={self.max_seq_len}",
        ]

    def hf_weight_shapes(self) -> dict[str, tuple[int, ...]]:
        d, hd = self.embed_dim, self.head_dim
        shapes: dict[str, tuple[int, ...]] = {"model.embed_tokens.weight": (self.vocab_size, d)}
        for i in range(self.num_layers):
            p = f"model.layers.{i}"
            shapes |= {
                f"{p}.self_attn.q_proj.weight": (self.num_heads * hd, d),
                f"{p}.self_attn.k_proj.weight": (self.num_kv_heads * hd, d),
                f"{p}.self_attn.v_proj.weight": (self.num_kv_heads * hd, d),
                f"{p}.self_attn.o_proj.weight": (d, self.num_heads * hd),
                f"{p}.mlp.gate_proj.weight": (self.intermediate_dim, d),
                f"{p}.mlp.up_proj.weight": (self.intermediate_dim, d),
                f"{p}.mlp.down_proj.weight": (d, self.intermediate_dim),
                f"{p}.input_layernorm.weight": (d,),
                f"{p}.post_attention_layernorm.weight": (d,),
            }
        shapes |= {"model.norm.weight": (d,), "lm_head.weight": (self.vocab_size, d)}
        return shapes


def write_tiny_llama3(directory: Path, dims: TinyDims = TinyDims(), shards: int = 2) -> Path:
    import torch
    from safetensors.torch import save_file

    directory.mkdir(parents=True, exist_ok=True)
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": dims.embed_dim,
        "intermediate_size": dims.intermediate_dim,
        "num_attention_heads": dims.num_heads,
        "num_key_value_heads": dims.num_kv_heads,
        "num_hidden_layers": dims.num_layers,
        "vocab_size": dims.vocab_size,
        "max_position_embeddings": dims.max_seq_len,
        "rms_norm_eps": 1e-5,
        "rope_theta": 500000.0,
        "torch_dtype": "float32",
        "bos_token_id": 128000,
        "eos_token_id": 128009,
    }
    (directory / "config.json").write_text(json.dumps(config, indent=2))

    generator = torch.Generator().manual_seed(0)
    names = list(dims.hf_weight_shapes().items())
    weight_map: dict[str, str] = {}
    per_shard = -(-len(names) // shards)
    for index in range(shards):
        filename = f"model-{index + 1:05d}-of-{shards:05d}.safetensors"
        tensors = {}
        for name, shape in names[index * per_shard : (index + 1) * per_shard]:
            if name.endswith("norm.weight"):
                tensors[name] = torch.ones(shape)
            else:
                tensors[name] = torch.randn(shape, generator=generator) * 0.02
            weight_map[name] = filename
        save_file(tensors, str(directory / filename), metadata={"format": "pt"})
    (directory / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))

    (directory / "original").mkdir(exist_ok=True)
    write_byte_level_tiktoken(directory / "original" / "tokenizer.model")
    return directory
