"""The compile pass that gives linears on one input one matrix product (trainer/fuse_linears.py):
the same numbers, the frozen and the trained weights kept apart, only where the run compiles."""

from __future__ import annotations

from typing import Any

import pytest

from trainer.fuse_linears import FUSED_GROUPS, custom_pass, fuse_shared_input_linears
from trainer.recipe_runner import _customised, cpu_compiler
from trainer.tests.test_cpu_training import FakeRecipe, tiny_lora_model


def traced_block() -> tuple[Any, Any]:
    """A module like a LoRA attention input: three frozen and three trained linears on x, one
    linear on another input, and one with a bias; traced with each tensor's meta filled in, as
    Dynamo gives the pass its graph."""
    import torch
    import torch.nn.functional as F
    from torch import fx

    class Block(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            torch.manual_seed(0)
            self.frozen = torch.nn.ParameterList(
                [torch.nn.Parameter(torch.randn(n, 16), requires_grad=False) for n in (16, 8, 8)]
            )
            self.trained = torch.nn.ParameterList([torch.nn.Parameter(torch.randn(4, 16)) for _ in range(3)])
            self.other = torch.nn.Parameter(torch.randn(16, 4))
            self.biased = torch.nn.Parameter(torch.randn(4, 16))
            self.bias = torch.nn.Parameter(torch.randn(4))

        def forward(self, x: Any) -> Any:
            outs = [F.linear(x, w) for w in self.frozen]
            lows = [F.linear(x, a) for a in self.trained]
            up = F.linear(lows[0], self.other)  # another input: not grouped
            return torch.cat([*outs, *lows, up, F.linear(x, self.biased, self.bias)], dim=-1)

    module = Block()
    traced = fx.symbolic_trace(module)
    x = torch.randn(2, 5, 16)
    for node in traced.graph.nodes:
        if node.op == "placeholder":
            node.meta["example_value"] = x
        elif node.op == "get_attr":
            node.meta["example_value"] = fx.graph_module._get_attr(traced, node.target)
    return traced, x


def test_linears_on_one_input_become_one_product_per_kind_of_weight() -> None:
    import torch

    traced, x = traced_block()
    expected = traced(x)
    assert fuse_shared_input_linears(traced.graph) == 2  # the frozen three, the trained three
    traced.graph.lint()
    traced.recompile()
    linears = [node for node in traced.graph.nodes if node.target is torch._C._nn.linear]
    # One product for the frozen weights, one for the trained, the other input's and the biased one.
    assert len(linears) == 4
    cats = [node for node in traced.graph.nodes if node.target is torch.cat and node.kwargs.get("dim") == 0]
    grads = sorted(
        tuple(sorted({bool(traced.get_parameter(weight.target).requires_grad) for weight in cat.args[0]}))
        for cat in cats
    )
    assert grads == [(False,), (True,)]  # never a frozen weight beside a trained one
    torch.testing.assert_close(traced(x), expected)


def test_a_single_linear_on_an_input_is_left_alone() -> None:
    import torch
    import torch.nn.functional as F
    from torch import fx

    class One(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.Parameter(torch.randn(4, 8))

        def forward(self, x: Any) -> Any:
            return F.linear(x, self.w)

    traced = fx.symbolic_trace(One())
    for node in traced.graph.nodes:
        node.meta["example_value"] = (
            torch.randn(3, 8) if node.op == "placeholder" else traced.w if node.op == "get_attr" else None
        )
    assert fuse_shared_input_linears(traced.graph) == 0


@pytest.mark.skipif(cpu_compiler() is None, reason="torch.compile on CPU needs a C++ compiler")
def test_compiled_layers_with_the_pass_give_the_same_loss_and_lora_gradients() -> None:
    """TorchTune's LoRA layers compiled as the recipe compiles them: every q/k/v and w1/w3 group
    fused, the output and each LoRA parameter's gradient (by its own name) as without the pass."""
    import torch
    import torch._dynamo
    import torch._inductor.config as inductor_config

    tokens = torch.randint(0, 300, (2, 12), generator=torch.Generator().manual_seed(3))

    def compiled_run(custom_pass: Any) -> tuple[Any, dict[str, Any]]:
        torch._dynamo.reset()
        model = tiny_lora_model()
        for layer in model.layers:
            layer.compile(backend="inductor")
        # No cache: a cached graph would skip the pass (its figures come from a fresh compile).
        with inductor_config.patch(force_disable_caches=True, pre_grad_custom_pass=custom_pass):
            out = model(tokens)
            out.float().pow(2).mean().backward()
        grads = {name: p.grad for name, p in model.named_parameters() if p.requires_grad}
        return out.detach(), grads

    expected, expected_grads = compiled_run(None)
    before = dict(FUSED_GROUPS)
    out, grads = compiled_run(custom_pass())
    torch._dynamo.reset()
    fused = {size: FUSED_GROUPS[size] - before.get(size, 0) for size in FUSED_GROUPS}
    # Per layer: q, k, v frozen; their three A matrices; w1, w3 frozen; their two A matrices.
    assert fused == {3: 4, 2: 4}
    assert grads.keys() == expected_grads.keys() and any("lora_a" in name for name in grads)
    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)
    for name, grad in grads.items():
        torch.testing.assert_close(grad, expected_grads[name], rtol=1e-4, atol=1e-7)


def test_the_recipe_installs_the_pass_only_when_it_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    from omegaconf import OmegaConf

    from trainer import fuse_linears, recipe_runner

    installed: list[bool] = []
    monkeypatch.setattr(fuse_linears, "install", lambda: installed.append(True))
    monkeypatch.setattr(recipe_runner, "cpu_compiler", lambda: "g++")
    recipe_class = _customised(FakeRecipe)
    for compile_flag, fuse in ((True, True), (False, True), (True, False)):
        cfg = OmegaConf.create({"compile": compile_flag, "device": "cpu", "fuse_shared_input_linears": fuse})
        recipe_class(cfg).setup(cfg)
    assert installed == [True]
