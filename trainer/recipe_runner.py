"""Runs TorchTune's ``lora_finetune_single_device`` recipe in this process.

In-process rather than ``tune run`` as a subprocess because:
- out-of-memory arrives as a real ``torch.OutOfMemoryError`` we can catch and
  report (exit 3), instead of being guessed from another process's stderr;
- the exact step count comes from the recipe's own dataloader, so progress
  lines carry a correct ``total_steps``;
- the Node worker supervises a single process: killing it stops training.

The recipe file ships in the torchtune wheel under ``site-packages/recipes``,
which is deliberately not importable as a package, so it is loaded by path
(the same file ``tune run`` executes).
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECIPE_NAME = "lora_finetune_single_device"


@dataclass(frozen=True)
class RecipeResult:
    steps: int
    epochs: int
    train_seconds: float


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
    return module.LoRAFinetuneRecipeSingleDevice


def run_recipe(cfg: Any, progress_fields: dict[str, Any] | None = None) -> RecipeResult:
    """Set up, train and checkpoint; progress (plus progress_fields) goes through cfg.metric_logger."""
    recipe_class = load_recipe_class()
    recipe = recipe_class(cfg=cfg)
    try:
        recipe.setup(cfg=cfg)
        # The recipe computes its steps per epoch from the dataloader during setup.
        total_steps = recipe.total_epochs * recipe._steps_per_epoch
        logger = recipe._metric_logger
        if hasattr(logger, "start"):
            logger.start(total_steps, **(progress_fields or {}))
        started = time.monotonic()
        recipe.train()
        seconds = time.monotonic() - started
    finally:
        if hasattr(recipe, "_metric_logger"):
            recipe.cleanup()
    return RecipeResult(steps=recipe.global_step, epochs=recipe.total_epochs, train_seconds=seconds)
