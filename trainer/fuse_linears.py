"""One matrix product for the linear layers that read the same input (a torch.compile pass).

In each transformer layer of the LoRA model, six linear products read the attention's
normalised input (q, k and v's frozen weights and their LoRA ``A`` matrices) and four read the
MLP's (w1 and w3, the same). Separately, each reads its input again, and the LoRA ones are
rank-8 products, far below what a CPU's matrix units can do at that width. This pass, run by
Inductor on the graph each compiled layer traces (``torch._inductor.config.pre_grad_custom_pass``),
replaces every group of bias-free linears on one input with one product over the concatenated
weights, split afterwards: the same numbers (each output column is the same dot product), fewer
and wider products.

Frozen and trainable weights are grouped apart: a product whose concatenated weight needs a
gradient computes the weight gradient of every row, so mixing the frozen base rows in would
add a weight gradient for the whole base (2 FLOP per weight and token) that is thrown away.
The parameters themselves are untouched, so the adapter's tensor names and values are too.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from typing import Any

PASS_VERSION = "fuse-shared-input-linears-1"

# Groups fused in this process, by how many linears each replaced (what the tests read).
FUSED_GROUPS: dict[int, int] = defaultdict(int)


def _meta_tensor(node: Any) -> Any:
    return node.meta.get("example_value") if hasattr(node, "meta") else None


def fuse_shared_input_linears(graph: Any) -> int:
    """Rewrite ``graph`` (a torch.fx.Graph) in place; returns how many groups were fused."""
    import torch

    groups: dict[tuple[Any, bool, Any], list[Any]] = defaultdict(list)
    for node in graph.nodes:
        if node.op != "call_function" or node.target is not torch._C._nn.linear:  # F.linear is this builtin
            continue
        args = list(node.args)
        if len(args) < 2 or any(key not in ("input", "weight", "bias") for key in node.kwargs):
            continue
        bias = args[2] if len(args) > 2 else node.kwargs.get("bias")
        if bias is not None:
            continue
        x, weight = args[0], args[1]
        x_meta, weight_meta = _meta_tensor(x), _meta_tensor(weight)
        if not isinstance(weight_meta, torch.Tensor) or not isinstance(x_meta, torch.Tensor):
            continue
        if weight_meta.dim() != 2 or x_meta.shape[-1] != weight_meta.shape[1]:
            continue
        groups[(x, bool(weight_meta.requires_grad), weight_meta.dtype)].append(node)

    fused = 0
    for (x, _grad, _dtype), nodes in groups.items():
        if len(nodes) < 2:
            continue
        sizes = [int(_meta_tensor(node.args[1]).shape[0]) for node in nodes]
        first = nodes[0]  # graph order: the input is defined before it (weights: see the sort below)
        with graph.inserting_before(first):
            weights = graph.call_function(torch.cat, ([node.args[1] for node in nodes],), {"dim": 0})
            product = graph.call_function(torch._C._nn.linear, (x, weights))
            parts = graph.call_function(torch.split, (product, sizes), {"dim": -1})
        for index, node in enumerate(nodes):
            with graph.inserting_after(parts):
                part = graph.call_function(operator.getitem, (parts, index))
            part.meta.update(node.meta)
            node.replace_all_uses_with(part)
            graph.erase_node(node)
        fused += 1
        FUSED_GROUPS[len(nodes)] += 1
    if fused:
        # A weight read where it is first used (a get_attr) may come after the group's first
        # linear; Inductor sorts after its pre-grad passes anyway, this keeps the pass valid alone.
        from torch._inductor.pattern_matcher import stable_topological_sort

        stable_topological_sort(graph)
    return fused


def custom_pass() -> Any:
    """The pass as Inductor's CustomGraphPass (its uuid keys Inductor's FX graph cache)."""
    from torch._inductor.custom_graph_pass import CustomGraphPass

    class FuseSharedInputLinears(CustomGraphPass):  # type: ignore[misc]
        def __call__(self, graph: Any) -> None:
            fuse_shared_input_linears(graph)

        def uuid(self) -> str:
            return PASS_VERSION

    return FuseSharedInputLinears()


def install() -> None:
    """Make every later torch.compile in this process run the pass."""
    import torch._inductor.config as inductor_config

    inductor_config.pre_grad_custom_pass = custom_pass()
