"""Runs TorchTune's ``lora_finetune_single_device`` recipe in this process.

In-process rather than ``tune run`` as a subprocess because:
- out-of-memory arrives as a real ``torch.OutOfMemoryError`` we can catch and
  report (exit 3), instead of being guessed from another process's stderr;
- the exact step count comes from the recipe's own dataloader, so progress
  lines carry a correct ``total_steps``;
- the Node worker supervises a single process: killing it stops training.

The recipe file ships in the torchtune wheel under ``site-packages/recipes``,
which is deliberately not importable as a package, so it is loaded by path
(the same file ``tune run`` executes). One step of it can be changed by the config:
``head_on_learned_tokens: True`` (the CPU profile) computes the output head and the loss
only at the positions whose label is learned (see :func:`learned_tokens_loss`).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECIPE_NAME = "lora_finetune_single_device"


@dataclass(frozen=True)
class RecipeResult:
    steps: int
    epochs: int  # the recipe's epoch count (its last checkpoint is epoch_<epochs - 1>)
    train_seconds: float
    epochs_reached: float  # optimizer steps over the steps of one whole pass over the dataset


def recipe_file() -> Path:
    import torchtune
    from torchtune._recipe_registry import get_all_recipes

    for recipe in get_all_recipes():
        if recipe.name == RECIPE_NAME:
            path = Path(torchtune.__file__).parent.parent / "recipes" / recipe.file_path
            if path.is_file():
                return path
    raise RuntimeError(f"TorchTune's {RECIPE_NAME} recipe file was not found; reinstall torchtune==0.6.1.")


def load_recipe_class() -> type:
    spec = importlib.util.spec_from_file_location(f"torchtune_recipe_{RECIPE_NAME}", recipe_file())
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load TorchTune's {RECIPE_NAME} recipe")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return _customised(module.LoRAFinetuneRecipeSingleDevice)


def decoder_hidden_states(model: Any, batch: dict[str, Any]) -> Any:
    """The last layer's output of TorchTune's ``TransformerDecoder`` (its forward without the
    final norm and the output head)."""
    hidden = model.tok_embeddings(batch["tokens"])
    for layer in model.layers:
        hidden = layer(hidden, mask=batch.get("mask"), input_pos=batch.get("input_pos"))
    return hidden


def head_loss(model: Any, rows: Any, targets: Any, ignore_index: int) -> Any:
    """Mean cross-entropy of the output head (after the final norm) on gathered rows, in float32."""
    import torch.nn.functional as F

    logits = model.output(model.norm(rows))
    return F.cross_entropy(logits.float(), targets, ignore_index=ignore_index)


_COMPILED_HEAD_LOSS: Any = None


def compiled_head_loss() -> Any:
    """:func:`head_loss` through ``torch.compile`` (one per process, built on first use).

    Uncompiled, the head's logits (rows x 49k) are cast to a float32 copy, then log-softmax,
    its backward and the gradient's buffers each pass over that copy again; Inductor fuses the
    cast into the log-softmax and its backward, so those passes happen once, in parallel. The
    same loss (float32 throughout the softmax); `npm run bench:train-cpu` measures the gain.
    """
    global _COMPILED_HEAD_LOSS
    if _COMPILED_HEAD_LOSS is None:
        import torch

        _COMPILED_HEAD_LOSS = torch.compile(head_loss)
    return _COMPILED_HEAD_LOSS


def learned_tokens_loss(
    model: Any,
    batch: dict[str, Any],
    ignore_index: int,
    context: Any,
    rows_multiple: int = 1,
    head: Any = head_loss,
) -> Any:
    """Mean cross-entropy over the learned positions, the head applied only there.

    TorchTune computes the logits of every position (in 8 chunks of the sequence) and masks
    the loss afterwards; with ``train_on_input: False`` most positions are the prompt, whose
    logits are thrown away, and on a CPU the chunked 3-D head matmul copies the 49k x 576
    weight for every chunk. Here the last layer's hidden states of the positions with a label
    are gathered first, then normalised and multiplied by the head in one 2-D matmul: the same
    loss (the same mean over the same tokens), less work.

    ``rows_multiple`` pads the gathered rows with ignored ones up to a multiple (the same
    loss): the head's matmul then sees a few shapes instead of a new one every batch, and
    each new shape costs a CPU run memory (oneDNN's and torch.compile's caches).

    ``head`` computes the loss of the gathered rows: :func:`head_loss`, or
    :func:`compiled_head_loss` when the run compiles.
    """
    import torch
    import torch.nn.functional as F

    labels = batch.pop("labels")
    # Position i predicts token i + 1; the last position predicts nothing.
    labels = torch.cat((labels[..., 1:], torch.full_like(labels[..., :1], ignore_index)), dim=-1)
    with context:
        hidden = decoder_hidden_states(model, batch)
    learned = labels != ignore_index
    if not bool(learned.any()):
        return hidden.sum() * 0.0  # nothing to learn in this batch: a zero loss with a graph
    rows, targets = hidden[learned], labels[learned]
    extra = -rows.shape[0] % rows_multiple
    if extra:
        rows = F.pad(rows, (0, 0, 0, extra))
        targets = F.pad(targets, (0, extra), value=ignore_index)
    return head(model, rows, targets, ignore_index)


def pad_batch_to_multiple(batch: dict[str, Any], multiple: int, ignore_index: int) -> dict[str, Any]:
    """A collated batch right-padded to a length that is a multiple of ``multiple``.

    The added positions come after every real token (a causal model never attends to them)
    and carry ``ignore_index`` labels, so the loss is unchanged; the sequence length then
    takes a few values instead of one per batch, and each new shape costs a CPU run memory
    (oneDNN's primitive cache and torch.compile's graphs).
    """
    import torch.nn.functional as F

    extra = -batch["tokens"].shape[-1] % multiple
    if not extra:
        return batch
    return {
        **batch,
        "tokens": F.pad(batch["tokens"], (0, extra), value=0),
        "labels": F.pad(batch["labels"], (0, extra), value=ignore_index),
    }


def _collate_to_multiple(items: Any, collate: Any, multiple: int, ignore_index: int) -> dict[str, Any]:
    return pad_batch_to_multiple(collate(items), multiple, ignore_index)


def _length_grouped_loader(
    loader: Any, batch_size: int, seed: int, shuffle: bool, shape_multiple: int = 1, ignore_index: int = -100
) -> Any:
    """The recipe's dataloader with a :class:`LengthGroupedSampler` over its dataset, its batches
    padded to a multiple of ``shape_multiple`` tokens (:func:`pad_batch_to_multiple`)."""
    import functools

    from torchdata.stateful_dataloader import StatefulDataLoader

    from trainer.length_grouped import LengthGroupedSampler

    # Each example tokenized once: the lengths need every one, and the recipe's dataset would
    # tokenize it again for every batch it is in (in the training process, between steps).
    dataset = loader.dataset
    examples = [dataset[index] for index in range(len(dataset))]
    lengths = [len(example["tokens"]) for example in examples]
    return StatefulDataLoader(
        dataset=examples,
        batch_size=batch_size,
        sampler=LengthGroupedSampler(lengths, batch_size, seed=seed, shuffle=shuffle),
        collate_fn=functools.partial(
            _collate_to_multiple, collate=loader.collate_fn, multiple=shape_multiple, ignore_index=ignore_index
        ),
        drop_last=True,
    )


def cpu_compiler() -> str | None:
    """The C++ compiler torch.compile's CPU backend (Inductor) would build with, or None without one."""
    try:
        from torch._inductor.cpp_builder import get_cpp_compiler

        return get_cpp_compiler()
    except Exception:  # Inductor raises its own InvalidCxxCompiler (or fails to import)
        return None


def _customised(recipe_class: type) -> type:
    class Recipe(recipe_class):  # type: ignore[misc, valid-type]
        """TorchTune's recipe; with ``head_on_learned_tokens`` its loss step is :func:`learned_tokens_loss`,
        with ``length_grouped_batches`` its batches come from :class:`LengthGroupedSampler`."""

        def setup(self, cfg: Any) -> None:
            if cfg.get("compile") and str(cfg.get("device")) == "cpu" and cpu_compiler() is None:
                # A slim image without g++: the same training, uncompiled, rather than a failure
                # at the first step.
                print("compile: no C++ compiler for torch.compile on CPU; training uncompiled", file=sys.stderr)
                cfg.compile = False
            self._length_grouped = bool(cfg.get("length_grouped_batches", False))
            self._data_seed = int(cfg.get("seed") or 0)
            self._shape_multiple = int(cfg.get("shape_multiple", 1))
            if cfg.get("compile") and cfg.get("fuse_shared_input_linears", False):
                from trainer.fuse_linears import install

                install()
            super().setup(cfg=cfg)
            if cfg.get("blocked_causal_attention", False):
                from trainer.causal_attention import install as install_attention

                # Before the first forward: the compiled layers trace it then.
                install_attention(self._model)
            self._head_on_learned_tokens = bool(cfg.get("head_on_learned_tokens", False))
            self._compile_head = bool(cfg.get("compile", False))

        def _setup_data(self, cfg_dataset: Any, shuffle: bool, batch_size: int, **kwargs: Any) -> Any:
            loader = super()._setup_data(cfg_dataset=cfg_dataset, shuffle=shuffle, batch_size=batch_size, **kwargs)
            if not self._length_grouped:
                return loader
            return _length_grouped_loader(
                loader, batch_size, self._data_seed, shuffle, self._shape_multiple, self._loss_fn.ignore_index
            )

        def _loss_step(self, batch: dict[str, Any]) -> Any:
            if not self._head_on_learned_tokens:
                return super()._loss_step(batch)
            return learned_tokens_loss(
                self._model,
                batch,
                self._loss_fn.ignore_index,
                self.activations_handling_ctx,
                rows_multiple=self._shape_multiple,
                head=compiled_head_loss() if self._compile_head else head_loss,
            )

    Recipe.__name__ = Recipe.__qualname__ = recipe_class.__name__
    return Recipe


def run_recipe(cfg: Any, progress_fields: dict[str, Any] | None = None) -> RecipeResult:
    """Set up, train and checkpoint; progress (plus progress_fields) goes through cfg.metric_logger."""
    recipe_class = load_recipe_class()
    recipe = recipe_class(cfg=cfg)
    try:
        recipe.setup(cfg=cfg)
        # The recipe computes its steps per epoch from the dataloader during setup (lowered to
        # max_steps_per_epoch when that caps it); a whole pass is the dataloader's length.
        total_steps = recipe.total_epochs * recipe._steps_per_epoch
        whole_epoch = max(1, len(recipe._dataloader) // recipe._gradient_accumulation_steps)
        logger = recipe._metric_logger
        if hasattr(logger, "start"):
            logger.start(total_steps, steps_per_epoch=whole_epoch, **(progress_fields or {}))
        started = time.monotonic()
        recipe.train()
        seconds = time.monotonic() - started
    finally:
        if hasattr(recipe, "_metric_logger"):
            recipe.cleanup()
    return RecipeResult(
        steps=recipe.global_step,
        epochs=recipe.total_epochs,
        train_seconds=seconds,
        epochs_reached=recipe.global_step / whole_epoch,
    )
