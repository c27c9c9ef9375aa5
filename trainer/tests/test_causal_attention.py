"""Blocked causal attention (trainer/causal_attention.py): SDPA's numbers and gradients, every
attention module routed through it when the profile asks, anything but plain causal training
attention left to the original call."""

from __future__ import annotations

from typing import Any

import pytest

from trainer.causal_attention import blocked_causal_attention, install
from trainer.recipe_runner import _customised
from trainer.tests.test_cpu_training import FakeRecipe, tiny_lora_model


def qkv(seq_len: int, dtype: Any, seed: int = 0) -> list[Any]:
    import torch

    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(2, 3, seq_len, 16, generator=generator, dtype=dtype).requires_grad_() for _ in range(3)]


@pytest.mark.parametrize(("seq_len", "block"), [(1, 128), (5, 128), (128, 128), (129, 128), (300, 128), (300, 7)])
def test_equals_sdpa_with_its_gradients(seq_len: int, block: int) -> None:
    """Blocks that end inside the sequence, a last block shorter than the rest, one block only."""
    import torch
    import torch.nn.functional as F

    q, k, v = qkv(seq_len, torch.float64)
    out = blocked_causal_attention(q, k, v, block)
    grads = torch.autograd.grad(out.square().sum(), (q, k, v))
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    expected_grads = torch.autograd.grad(expected.square().sum(), (q, k, v))
    # The scores and softmax run in fp32 whatever the inputs' dtype: fp32 rounding, not fp64's.
    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)
    for grad, expected_grad in zip(grads, expected_grads, strict=True):
        torch.testing.assert_close(grad, expected_grad, rtol=1e-4, atol=1e-5)


def test_a_query_never_reads_a_later_key() -> None:
    import torch

    q, k, v = (t.detach() for t in qkv(200, torch.float32))
    out = blocked_causal_attention(q, k, v)
    changed_v = v.clone()
    changed_v[..., 150:, :] += 100.0
    changed = blocked_causal_attention(q, k, changed_v)
    torch.testing.assert_close(changed[..., :150, :], out[..., :150, :])
    assert not torch.allclose(changed[..., 150:, :], out[..., 150:, :])


def test_bf16_stays_within_bf16_rounding_of_the_exact_attention() -> None:
    import torch
    import torch.nn.functional as F

    q, k, v = (t.detach() for t in qkv(300, torch.float32, seed=1))
    exact = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), is_causal=True)
    out = blocked_causal_attention(q.bfloat16(), k.bfloat16(), v.bfloat16())
    sdpa = F.scaled_dot_product_attention(q.bfloat16(), k.bfloat16(), v.bfloat16(), is_causal=True)
    assert out.dtype == torch.bfloat16
    # Its scores are rounded to bf16 before the fp32 softmax (as transformers' eager attention
    # does); SDPA's kernel keeps them in fp32. Both outputs are bf16: the error stays of that order.
    error, sdpa_error = ((t.double() - exact).abs().mean() for t in (out, sdpa))
    assert error < 2 * sdpa_error


def autograd_reference(q: Any, k: Any, v: Any, block: int) -> Any:
    """The same blocked attention left to autograd, which keeps every block's softmax."""
    import torch

    outputs = []
    for start in range(0, q.shape[-2], block):
        end = min(q.shape[-2], start + block)
        scores = torch.matmul(q[..., start:end, :], k[..., :end, :].transpose(-1, -2)).float() * q.shape[-1] ** -0.5
        future = torch.ones(end - start, end, dtype=torch.bool).triu(start + 1)
        weights = torch.softmax(scores.masked_fill(future, float("-inf")), dim=-1).to(v.dtype)
        outputs.append(torch.matmul(weights, v[..., :end, :]))
    return torch.cat(outputs, dim=-2)


@pytest.mark.parametrize("block", [128, 7])
def test_its_bf16_gradients_are_those_autograd_gives_the_same_products(block: int) -> None:
    """Its backward reads the softmax in bf16; it lands where autograd's own backward (fp32) does."""
    import torch

    q, k, v = (t.detach().bfloat16().requires_grad_() for t in qkv(300, torch.float32, seed=2))
    grad_out = torch.randn(2, 3, 300, 16, generator=torch.Generator().manual_seed(3)).bfloat16()
    out = blocked_causal_attention(q, k, v, block)
    expected = autograd_reference(q, k, v, block)
    torch.testing.assert_close(out, expected, rtol=0, atol=0)
    grads = torch.autograd.grad(out, (q, k, v), grad_out)
    expected_grads = torch.autograd.grad(expected, (q, k, v), grad_out)
    for grad, expected_grad in zip(grads, expected_grads, strict=True):
        assert grad.dtype == torch.bfloat16
        scale = expected_grad.float().abs().mean()
        assert (grad.float() - expected_grad.float()).abs().mean() < 0.01 * scale


def test_keeps_each_block_softmax_once_in_bf16_for_the_backward() -> None:
    """Resident per layer until the backward: q, k, v and one bf16 softmax per block, nothing in fp32."""
    import torch

    seq_len = 300
    q, k, v = (t.detach().bfloat16().requires_grad_() for t in qkv(seq_len, torch.float32))
    saved: list[Any] = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t) or t, lambda t: t):
        blocked_causal_attention(q, k, v)
        mark = len(saved)
        autograd_reference(q.detach().requires_grad_(), k, v, 128)
    ours, reference = saved[:mark], saved[mark:]
    assert [tuple(t.shape) for t in ours] == [(2, 3, seq_len, 16)] * 3 + [
        (2, 3, 128, 128),
        (2, 3, 128, 256),
        (2, 3, 44, 300),
    ]
    assert {t.dtype for t in ours} == {torch.bfloat16}
    # The check can fail: autograd's own version also keeps each block's softmax in fp32.
    assert any(t.dtype == torch.float32 and tuple(t.shape) == (2, 3, 128, 128) for t in reference)


def test_install_routes_a_lora_model_through_it_with_the_same_outputs() -> None:
    import torch

    tokens = torch.randint(0, 300, (2, 40), generator=torch.Generator().manual_seed(3))
    reference = tiny_lora_model()
    expected = reference(tokens)
    model = tiny_lora_model()
    calls: list[int] = []
    assert install(model) == 2  # one attention module per layer
    for layer in model.layers:
        inner = layer.attn._attention_call
        layer.attn._attention_call = lambda *a, inner=inner, **kw: calls.append(1) or inner(*a, **kw)
    torch.testing.assert_close(model(tokens), expected, rtol=1e-5, atol=1e-5)
    assert len(calls) == 2


def test_anything_but_plain_causal_attention_goes_to_the_original_call() -> None:
    import torch

    seen: list[dict[str, Any]] = []

    class Attention:
        def _attention_call(self, q: Any, k: Any, v: Any, mask: Any, dropout_p: float, is_causal: bool) -> str:
            seen.append({"mask": mask, "dropout_p": dropout_p, "is_causal": is_causal})
            return "original"

    from torchtune.modules.attention import MultiHeadAttention

    module = MultiHeadAttention.__new__(MultiHeadAttention)
    torch.nn.Module.__init__(module)
    module._attention_call = Attention()._attention_call
    assert install(module) == 1
    q, k, v = (t.detach() for t in qkv(8, torch.float32))
    mask = torch.ones(2, 8, 8, dtype=torch.bool)
    assert module._attention_call(q, k, v, mask=mask, dropout_p=0.0, is_causal=False) == "original"
    assert module._attention_call(q, k, v, mask=None, dropout_p=0.1, is_causal=True) == "original"
    assert (
        module._attention_call(q, k[..., :4, :], v[..., :4, :], mask=None, dropout_p=0.0, is_causal=True) == "original"
    )
    assert len(seen) == 3
    out = module._attention_call(q, k, v, mask=None, dropout_p=0.0, is_causal=True)
    assert isinstance(out, torch.Tensor) and len(seen) == 3


class ModelRecipe(FakeRecipe):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self._model = tiny_lora_model()


def test_the_recipe_installs_it_only_when_the_profile_asks() -> None:
    from omegaconf import OmegaConf

    from trainer.causal_attention import _replacement

    recipe_class = _customised(ModelRecipe)
    for flag in (True, False):
        cfg = OmegaConf.create({"compile": False, "device": "cpu", "blocked_causal_attention": flag})
        recipe = recipe_class(cfg)
        recipe.setup(cfg)
        calls = {layer.attn._attention_call.__qualname__ for layer in recipe._model.layers}
        replaced = _replacement(lambda: None, 1).__qualname__
        assert (calls == {replaced}) is flag
