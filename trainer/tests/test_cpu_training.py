"""What the CPU profile changes in TorchTune's recipe: the loss on learned tokens only, batches of
similar length, compilation only where it can run, threads. Fast: a tiny random model, no checkpoint."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Any

import pytest

from trainer.length_grouped import LengthGroupedSampler
from trainer.recipe_runner import (
    _customised,
    _length_grouped_loader,
    compiled_head_loss,
    cpu_compiler,
    head_loss,
    learned_tokens_loss,
    pad_batch_to_multiple,
)

IGNORE = -100


def tiny_lora_model(seed: int = 0):
    import torch
    from torchtune.models.llama3 import lora_llama3

    torch.manual_seed(seed)
    model = lora_llama3(
        lora_attn_modules=["q_proj", "k_proj", "v_proj", "output_proj"],
        apply_lora_to_mlp=True,
        vocab_size=300,
        num_layers=2,
        num_heads=4,
        num_kv_heads=2,
        embed_dim=32,
        max_seq_len=64,
        intermediate_dim=64,
        lora_rank=4,
        lora_alpha=8,
    )
    # LoRA B starts at zero; move it so the adapters matter to the gradients compared below.
    for name, param in model.named_parameters():
        param.requires_grad = "lora_" in name
        if "lora_b" in name:
            torch.nn.init.normal_(param, std=0.1)
    return model


def batch_of_two() -> dict[str, Any]:
    import torch

    generator = torch.Generator().manual_seed(1)
    tokens = torch.randint(0, 300, (2, 12), generator=generator)
    labels = tokens.clone()
    labels[0, :7] = IGNORE  # a prompt, then the learned answer
    labels[1, :4] = IGNORE
    labels[1, 9:] = IGNORE  # right padding
    return {"tokens": tokens, "labels": labels}


def torchtune_loss(model: Any, batch: dict[str, Any]) -> Any:
    """What the recipe's own _loss_step computes: chunked logits of every position, masked loss."""
    import torch
    from torchtune.modules.loss import CEWithChunkedOutputLoss

    loss_fn = CEWithChunkedOutputLoss(num_output_chunks=4, ignore_index=IGNORE)
    model.set_num_output_chunks(loss_fn.num_output_chunks)
    labels = batch["labels"]
    labels = torch.hstack((labels[..., 1:], torch.full((labels.shape[0], 1), IGNORE)))
    loss = loss_fn(model(batch["tokens"]), labels)
    model.set_num_output_chunks(0)
    return loss


def lora_grads(model: Any) -> dict[str, Any]:
    return {name: param.grad.clone() for name, param in model.named_parameters() if param.requires_grad}


def test_the_learned_tokens_loss_is_torchtunes_loss_with_the_same_gradients() -> None:
    import torch

    model = tiny_lora_model()
    expected = torchtune_loss(model, batch_of_two())
    expected.backward()
    expected_grads = lora_grads(model)
    model.zero_grad()
    loss = learned_tokens_loss(model, batch_of_two(), IGNORE, contextlib.nullcontext())
    loss.backward()
    grads = lora_grads(model)
    assert float(expected.detach()) > 1.0
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)
    assert grads.keys() == expected_grads.keys() and len(grads) == 2 * 7 * 2
    for name, grad in grads.items():
        assert float(grad.abs().max()) > 0, name
        torch.testing.assert_close(grad, expected_grads[name], rtol=1e-4, atol=1e-6)


def test_the_learned_tokens_loss_differs_when_a_label_moves() -> None:
    """Power check: the comparison above would see a shifted or unshifted label."""
    model = tiny_lora_model()
    expected = torchtune_loss(model, batch_of_two())
    moved = batch_of_two()
    moved["labels"][0, 6] = moved["tokens"][0, 6]  # one more prompt token learned
    assert abs(float(learned_tokens_loss(model, moved, IGNORE, contextlib.nullcontext())) - float(expected)) > 1e-3


def test_padding_rows_and_positions_to_a_multiple_keeps_the_loss_and_its_gradients() -> None:
    """shape_multiple: the batch padded to 16 positions, its 10 learned rows to 16 (a multiple of 8): the same loss."""
    import torch

    model = tiny_lora_model()
    expected = learned_tokens_loss(model, batch_of_two(), IGNORE, contextlib.nullcontext())
    expected.backward()
    expected_grads = lora_grads(model)
    model.zero_grad()
    padded = pad_batch_to_multiple(batch_of_two(), 16, IGNORE)
    assert padded["tokens"].shape == padded["labels"].shape == (2, 16)
    assert bool((padded["labels"][:, 12:] == IGNORE).all())
    loss = learned_tokens_loss(model, padded, IGNORE, contextlib.nullcontext(), rows_multiple=8)
    loss.backward()
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)
    for name, grad in lora_grads(model).items():
        torch.testing.assert_close(grad, expected_grads[name], rtol=1e-4, atol=1e-6)
    # A batch already at a multiple is returned as it is.
    batch = batch_of_two()
    assert pad_batch_to_multiple(batch, 4, IGNORE) is batch


def test_a_batch_without_learned_tokens_gives_a_zero_loss_with_a_graph() -> None:
    batch = batch_of_two()
    batch["labels"][:] = IGNORE
    loss = learned_tokens_loss(tiny_lora_model(), batch, IGNORE, contextlib.nullcontext())
    assert float(loss) == 0.0 and loss.requires_grad
    loss.backward()


@pytest.mark.skipif(cpu_compiler() is None, reason="torch.compile on CPU needs a C++ compiler")
def test_the_compiled_head_loss_is_the_same_loss_with_the_same_gradients() -> None:
    """The CPU profile compiles the head and its loss (compile: True); padded rows included."""
    import torch

    model = tiny_lora_model()
    expected = learned_tokens_loss(model, batch_of_two(), IGNORE, contextlib.nullcontext(), rows_multiple=8)
    expected.backward()
    expected_grads = lora_grads(model)
    model.zero_grad()
    head = compiled_head_loss()
    assert head is compiled_head_loss() and head is not head_loss  # one compiled function per process
    loss = learned_tokens_loss(model, batch_of_two(), IGNORE, contextlib.nullcontext(), rows_multiple=8, head=head)
    loss.backward()
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)
    for name, grad in lora_grads(model).items():
        torch.testing.assert_close(grad, expected_grads[name], rtol=1e-4, atol=1e-6)
    moved = batch_of_two()
    moved["labels"][0, 6] = moved["tokens"][0, 6]
    moved_loss = learned_tokens_loss(model, moved, IGNORE, contextlib.nullcontext(), rows_multiple=8, head=head)
    assert abs(float(moved_loss) - float(expected)) > 1e-3


# --- batches of similar length ----------------------------------------------------------


def test_each_epoch_is_a_new_permutation_in_batches_of_similar_length() -> None:
    lengths = [(index * 37) % 101 + 10 for index in range(50)]  # 50 examples, 10..110 tokens
    sampler = LengthGroupedSampler(lengths, batch_size=4, seed=42)
    epochs = []
    for epoch in range(3):
        sampler.set_epoch(epoch)
        order = list(sampler)
        assert len(order) == len(sampler) == 50 and sorted(order) == list(range(50))
        batches = [order[start : start + 4] for start in range(0, 48, 4)]  # what the loader forms
        for batch in batches:
            spread = max(lengths[i] for i in batch) - min(lengths[i] for i in batch)
            assert spread <= 12, (epoch, batch)  # a random batch of 4 would spread ~60
        epochs.append(order)
    assert len({tuple(order) for order in epochs}) == 3
    # Batch order is shuffled: not shortest first.
    firsts = [lengths[order[0]] for order in epochs]
    assert max(firsts) > min(lengths) + 20
    sampler.set_epoch(1)
    assert list(sampler) == epochs[1]  # the same run for the same seed and epoch
    assert list(LengthGroupedSampler(lengths, batch_size=4, seed=7)) != epochs[0]


def test_the_examples_left_out_of_an_epoch_vary() -> None:
    lengths = list(range(10, 60))  # 50 examples, batches of 8: 2 left out each epoch
    sampler = LengthGroupedSampler(lengths, batch_size=8, seed=0)
    left_out: Counter[int] = Counter()
    for epoch in range(20):
        sampler.set_epoch(epoch)
        left_out.update(list(sampler)[48:])
    assert len(left_out) > 15  # not the two longest every time
    with pytest.raises(ValueError, match="batch_size"):
        LengthGroupedSampler(lengths, batch_size=0)


def test_the_length_grouped_loader_pads_little() -> None:
    import torch
    from torch.utils.data import DataLoader
    from torchtune.data import padded_collate_sft

    lengths = [(index * 53) % 97 + 5 for index in range(64)]
    dataset = [{"tokens": list(range(n)), "labels": list(range(n))} for n in lengths]

    def collate(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return padded_collate_sft(rows, padding_idx=0, ignore_idx=IGNORE)

    plain = DataLoader(dataset, batch_size=4, collate_fn=collate, shuffle=True, drop_last=True)
    loader = _length_grouped_loader(plain, batch_size=4, seed=3, shuffle=True)
    loader.sampler.set_epoch(0)
    batches = list(loader)
    assert len(batches) == 16 == len(loader)
    real = sum(lengths)
    padded = sum(int(batch["tokens"].numel()) for batch in batches)
    random_padded = sum(int(batch["tokens"].numel()) for batch in plain)
    assert padded < 1.1 * real < random_padded
    assert all(isinstance(batch["tokens"], torch.Tensor) for batch in batches)
    # Padded to a multiple of 16 positions: few shapes, still far less padding than random batches.
    bucketed = _length_grouped_loader(plain, batch_size=4, seed=3, shuffle=True, shape_multiple=16, ignore_index=IGNORE)
    bucketed.sampler.set_epoch(0)
    shapes = {int(batch["tokens"].shape[1]) for batch in bucketed}
    assert all(width % 16 == 0 for width in shapes) and len(shapes) <= 7
    assert len({int(batch["tokens"].shape[1]) for batch in batches}) > len(shapes)
    assert sum(4 * width for width in [int(b["tokens"].shape[1]) for b in bucketed]) < random_padded


def test_the_length_grouped_loader_tokenizes_each_example_once() -> None:
    """TorchTune's dataset tokenizes in __getitem__; the lengths need every example once, and the
    batches of every epoch reuse those, not a second tokenization between steps."""
    from torch.utils.data import DataLoader, Dataset
    from torchtune.data import padded_collate_sft

    class CountingDataset(Dataset):
        def __init__(self) -> None:
            self.calls = 0

        def __len__(self) -> int:
            return 24

        def __getitem__(self, index: int) -> dict[str, list[int]]:
            self.calls += 1
            return {"tokens": list(range(index % 7 + 3)), "labels": list(range(index % 7 + 3))}

    dataset = CountingDataset()

    def collate(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return padded_collate_sft(rows, padding_idx=0, ignore_idx=IGNORE)

    plain = DataLoader(dataset, batch_size=4, collate_fn=collate)
    loader = _length_grouped_loader(plain, batch_size=4, seed=1, shuffle=True)
    seen = []
    for epoch in range(2):
        loader.sampler.set_epoch(epoch)
        seen.append(sorted(int(batch["tokens"].shape[1]) for batch in loader))
    assert dataset.calls == 24
    assert len(seen[0]) == 6 and seen[0] == seen[1]  # every example, each epoch


# --- the recipe's switches ----------------------------------------------------------------


class FakeRecipe:
    """Stands in for TorchTune's recipe: records what setup and the data setup were given."""

    def __init__(self, cfg: Any) -> None:
        self.seen: dict[str, Any] = {}

    def setup(self, cfg: Any) -> None:
        self.seen["compile"] = cfg.compile
        self._dataloader = self._setup_data(cfg_dataset=None, shuffle=True, batch_size=2)

    def _setup_data(self, cfg_dataset: Any, shuffle: bool, batch_size: int, **kwargs: Any) -> Any:
        return "the recipe's own loader"

    def _loss_step(self, batch: dict[str, Any]) -> str:
        return "the recipe's own loss"


def test_compile_is_dropped_on_a_cpu_without_a_compiler(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from omegaconf import OmegaConf

    from trainer import recipe_runner

    recipe_class = _customised(FakeRecipe)
    cfg = OmegaConf.create({"compile": True, "device": "cpu"})
    monkeypatch.setattr(recipe_runner, "cpu_compiler", lambda: None)
    recipe = recipe_class(cfg)
    recipe.setup(cfg)
    assert recipe.seen["compile"] is False
    assert "no C++ compiler" in capsys.readouterr().err
    # Without the switches, TorchTune's own data and loss steps run.
    assert recipe._dataloader == "the recipe's own loader"
    assert recipe._loss_step({}) == "the recipe's own loss"
    monkeypatch.setattr(recipe_runner, "cpu_compiler", lambda: "g++")
    cfg = OmegaConf.create({"compile": True, "device": "cpu"})
    recipe = recipe_class(cfg)
    recipe.setup(cfg)
    assert recipe.seen["compile"] is True


def test_the_loss_step_compiles_the_head_only_when_the_run_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    from omegaconf import OmegaConf

    from trainer import recipe_runner

    heads: list[Any] = []
    monkeypatch.setattr(recipe_runner, "learned_tokens_loss", lambda *args, **kwargs: heads.append(kwargs["head"]))
    monkeypatch.setattr(recipe_runner, "compiled_head_loss", lambda: "compiled")
    monkeypatch.setattr(recipe_runner, "cpu_compiler", lambda: "g++")
    recipe_class = _customised(FakeRecipe)
    for compile_flag in (True, False):
        cfg = OmegaConf.create({"compile": compile_flag, "device": "cpu", "head_on_learned_tokens": True})
        recipe = recipe_class(cfg)
        recipe.setup(cfg)
        recipe._model, recipe.activations_handling_ctx = None, None
        recipe._loss_fn = type("Loss", (), {"ignore_index": IGNORE})
        recipe._loss_step({})
    assert heads == ["compiled", head_loss]


def test_the_cpu_profile_turns_the_switches_on() -> None:
    from omegaconf import OmegaConf

    from trainer.profiles import get_profile

    cfg = OmegaConf.load(get_profile("smollm2-135m").config)
    assert cfg.head_on_learned_tokens and cfg.length_grouped_batches and cfg.compile
    assert cfg.fuse_shared_input_linears and cfg.blocked_causal_attention
    assert cfg.model.lora_dropout == 0.0
    assert cfg.batch_size * cfg.gradient_accumulation_steps == 8
    gpu = OmegaConf.load(get_profile("llama3-8b").config)
    assert not gpu.get("head_on_learned_tokens") and not gpu.get("length_grouped_batches")
    assert not gpu.get("fuse_shared_input_linears") and not gpu.get("blocked_causal_attention")


def test_threads_wait_passively_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.cpu_threads import physical_cores, use_physical_cores, wait_passively

    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    wait_passively()
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    wait_passively()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
    import torch

    before = torch.get_num_threads()
    try:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        assert use_physical_cores() == physical_cores() >= 1
    finally:
        torch.set_num_threads(before)
