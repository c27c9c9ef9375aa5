"""Causal self-attention as plain matrix products, in blocks of queries: faster than SDPA's CPU kernel here.

TorchTune's attention calls ``scaled_dot_product_attention``; on a CPU that is ATen's flash
attention kernel, whose backward runs far below the matrix units at the lengths a review example
has (at most 512 tokens, 64-wide heads). The attention is written here as two matrix products
in bf16 around a softmax in fp32, one block of queries at a time: block ``[s, e)`` reads the keys
``[0, e)`` only, so the products skip most of the positions the causal mask removes. Under
``torch.compile`` Inductor can fuse the scaling, mask and softmax around the products.

Measured on whole runs, alternating with SDPA on a 2-core AMD EPYC (``trainer/README.md``,
Benchmark): +18 % on ``npm run bench:train-cpu``, +13 % tokens/s on real review data. Its own
backward keeps each block's softmax once, in bf16; left to autograd it was kept twice (fp32 for the
softmax's backward, bf16 for the product's), ~0.6 GB more on real review data.

Installed by the recipe when the profile sets ``blocked_causal_attention`` (the CPU profile; GPUs
keep SDPA's flash kernels). Only the call TorchTune makes for training is replaced: causal, no
mask, no dropout, queries and keys of one length; anything else (a packed batch's mask, a KV
cache) goes to the original call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

#: Queries per block: the smaller, the more of the masked future keys the products skip.
QUERY_BLOCK = 128


def _block_scores(q_block: Any, keys: Any, start: int, scale: float) -> Any:
    """Scaled scores of one block of queries against keys ``[0, end)``, the future masked to -inf.

    The product returns the inputs' dtype: with bf16 inputs the scores round to bf16 before they
    go to fp32, as transformers' eager attention does (SDPA's flash kernel keeps them in fp32).
    """
    import torch

    rows, end = q_block.shape[-2], keys.shape[-2]
    scores = torch.matmul(q_block, keys.transpose(-1, -2)).float() * scale
    # Row i of the block is query start + i: it sees keys 0 .. start + i.
    future = torch.ones(rows, end, dtype=torch.bool, device=q_block.device).triu(start + 1)
    return scores.masked_fill(future, float("-inf"))


def _blocks(seq_len: int, block: int) -> list[tuple[int, int]]:
    return [(start, min(seq_len, start + block)) for start in range(0, seq_len, block)]


@functools.cache
def _attention_function() -> Any:
    """The autograd function, built on first use (torch is imported lazily in this module)."""
    import torch

    class BlockedCausalAttention(torch.autograd.Function):
        """Keeps q, k, v and each block's softmax in bf16 only; the backward is autograd's, by hand.

        Left to autograd, every block's softmax stays resident until the backward twice: in fp32
        for the softmax's own backward and in bf16 for the product with v (6 bytes per (query, key)
        pair of every layer). Here the softmax's backward reads the bf16 copy (2 bytes). Recomputing
        the softmax instead (one more product per block) kept less but trained ~8 % slower.
        """

        @staticmethod
        def forward(ctx: Any, q: Any, k: Any, v: Any, block: int) -> Any:
            seq_len, scale = q.shape[-2], q.shape[-1] ** -0.5
            outputs, kept = [], []
            for start, end in _blocks(seq_len, block):
                scores = _block_scores(q[..., start:end, :], k[..., :end, :], start, scale)
                weights = torch.softmax(scores, dim=-1).to(v.dtype)
                outputs.append(torch.matmul(weights, v[..., :end, :]))
                kept.append(weights)
            ctx.save_for_backward(q, k, v, *kept)
            ctx.block, ctx.scale = block, scale
            return outputs[0] if len(outputs) == 1 else torch.cat(outputs, dim=-2)

        @staticmethod
        def backward(ctx: Any, grad_out: Any) -> Any:
            q, k, v, *kept = ctx.saved_tensors
            grad_q = torch.empty_like(q)
            # Summed over blocks in fp32 (autograd summed the slices' bf16 gradients in bf16).
            wide = torch.promote_types(k.dtype, torch.float32)
            grad_k = torch.zeros(k.shape, dtype=wide, device=k.device)
            grad_v = torch.zeros(v.shape, dtype=wide, device=v.device)
            for (start, end), weights in zip(_blocks(q.shape[-2], ctx.block), kept, strict=True):
                q_block, keys, values = q[..., start:end, :], k[..., :end, :], v[..., :end, :]
                grad_block = grad_out[..., start:end, :]
                grad_v[..., :end, :] += torch.matmul(weights.transpose(-1, -2), grad_block).to(wide)
                grad_weights = torch.matmul(grad_block, values.transpose(-1, -2)).float()
                # softmax's backward: w * (g - sum(g * w)); masked keys have w = 0.
                wide_weights = weights.float()
                grad_scores = wide_weights * (grad_weights - (grad_weights * wide_weights).sum(dim=-1, keepdim=True))
                grad_scores = (grad_scores * ctx.scale).to(q.dtype)
                grad_q[..., start:end, :] = torch.matmul(grad_scores, keys)
                grad_k[..., :end, :] += torch.matmul(grad_scores.transpose(-1, -2), q_block).to(wide)
            return grad_q, grad_k.to(k.dtype), grad_v.to(v.dtype), None

    return BlockedCausalAttention


def blocked_causal_attention(q: Any, k: Any, v: Any, block: int = QUERY_BLOCK) -> Any:
    """softmax(q k^T / sqrt(d) + causal mask) v for [batch, heads, seq, head_dim] tensors of one length.

    The products return the inputs' dtype: with bf16 inputs the scores round to bf16 before the
    fp32 softmax, as transformers' eager attention does (SDPA's flash kernel keeps them in fp32).
    For the backward it keeps q, k, v and each block's softmax in the inputs' dtype.
    """
    return _attention_function().apply(q, k, v, block)


def _replacement(original: Callable[..., Any], block: int) -> Callable[..., Any]:
    def attention_call(q: Any, k: Any, v: Any, mask: Any, dropout_p: float, is_causal: bool) -> Any:
        if is_causal and mask is None and dropout_p == 0.0 and q.shape[-2] == k.shape[-2]:
            return blocked_causal_attention(q, k, v, block)
        return original(q, k, v, mask=mask, dropout_p=dropout_p, is_causal=is_causal)

    return attention_call


def install(model: Any, block: int = QUERY_BLOCK) -> int:
    """Route every TorchTune attention module of ``model`` through the blocked attention; returns how many."""
    from torchtune.modules.attention import MultiHeadAttention

    count = 0
    for module in model.modules():
        if isinstance(module, MultiHeadAttention):
            module._attention_call = _replacement(module._attention_call, block)
            count += 1
    return count
