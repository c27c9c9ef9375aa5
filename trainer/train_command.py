"""Train a reviewer's LoRA adapter on a profile's base model with TorchTune; writes a PEFT adapter dir."""

from __future__ import annotations

import argparse
import resource
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from trainer.cpu_threads import use_physical_cores, wait_passively
from trainer.events import EventWriter, claim_stdout, release_stdout
from trainer.profiles import DEFAULT_PROFILE, PROFILES, Profile, resolve_profile
from trainer.train_config import HyperParameters, add_set_argument, build_config
from trainer.train_inputs import InputError, check_base_model, check_output_dir, count_examples

if TYPE_CHECKING:
    from omegaconf import DictConfig

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_OUT_OF_MEMORY = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", type=Path, required=True, help='JSONL, one {"messages":[...]} per line')
    parser.add_argument(
        "--profile",
        choices=[*sorted(PROFILES), "auto"],
        default=DEFAULT_PROFILE,
        help=f"model profile (default {DEFAULT_PROFILE}); auto: llama3-8b with a CUDA GPU, smollm2-135m without",
    )
    parser.add_argument(
        "--base-model-dir", type=Path, required=True, help="Hugging Face checkpoint dir of the profile's base model"
    )
    parser.add_argument("--base-model-name", required=True, help="the name vLLM serves the base model as (its --model)")
    parser.add_argument(
        "--output-dir", type=Path, required=True, help="new directory for the PEFT adapter; never overwritten"
    )
    parser.add_argument("--config", type=Path, help="TorchTune YAML (default: the profile's, in trainer/configs/)")
    add_set_argument(parser, "override any config key (repeatable)")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--rank", type=int, help="LoRA rank r")
    parser.add_argument("--alpha", type=float, help="LoRA alpha")
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--batch-size", type=int, help="examples per micro-batch")
    parser.add_argument("--max-seq-len", type=int, help="tokens per example, longer ones are cut")
    parser.add_argument("--max-steps-per-epoch", type=int)
    parser.add_argument(
        "--provenance",
        help="an id of the job that asks for this adapter, written into the published folder"
        " (tech-lead-bot-provenance.txt) so a retry can tell its own earlier publish"
        " from a stale folder of the same name",
    )


def run(args: argparse.Namespace) -> int:
    wait_passively()  # before torch loads: it reads OMP_WAIT_POLICY then
    events, saved_stdout = claim_stdout()
    previous_sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return _train(args, events, saved_stdout)
    except InputError as err:
        events.emit("error", message=str(err))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        events.emit("error", message="training was interrupted")
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        release_stdout(saved_stdout)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Raise inside the training loop so cleanup (finally blocks) removes the staging dir.
    raise KeyboardInterrupt


def _choose_profile(name: str) -> Profile:
    if name == "auto":
        import torch

        return resolve_profile(name, has_gpu=torch.cuda.is_available())
    return resolve_profile(name, has_gpu=True)  # the device check comes once the config is built


def _check_device(cfg: DictConfig, profile: Profile) -> None:
    if str(cfg.device).startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise InputError(
                f"profile {profile.name} trains on a CUDA GPU (device: {cfg.device}) and this machine has none; "
                "an 8B model does not train on CPU in any useful time. Use --profile smollm2-135m (or auto) "
                "with its checkpoint here, or run the training worker on a GPU host."
            )


def _train(args: argparse.Namespace, events: EventWriter, events_fd: int) -> int:
    examples = count_examples(args.dataset)
    try:
        profile = _choose_profile(args.profile)
    except ValueError as err:
        raise InputError(str(err)) from None
    base_model = check_base_model(args.base_model_dir, profile)
    check_output_dir(args.output_dir, args.base_model_dir)
    hyper = HyperParameters(
        epochs=args.epochs,
        rank=args.rank,
        alpha=args.alpha,
        lr=args.lr,
        batch_size=args.batch_size,
        max_seq_len=args.max_seq_len,
        max_steps_per_epoch=args.max_steps_per_epoch,
    )
    output_dir = args.output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    # Beside the output dir, so publishing is a rename on one filesystem.
    run_dir = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.partial-", dir=output_dir.parent))
    try:
        cfg = build_config(
            args.config or profile.config,
            dataset=args.dataset.absolute(),
            base_model=base_model,
            run_dir=run_dir / "tune",
            events_fd=events_fd,
            hyper=hyper,
            sets=args.sets,
            examples=examples,
        )
        _check_device(cfg, profile)
        return _run_and_publish(cfg, run_dir, output_dir, args, events, examples)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def system_turn_of(cfg: DictConfig) -> str:
    """How the profile renders the system turn (``tokenizer.system_turn``; TorchTune's own
    tokenizers have none: the full turn). The done line reports it so that the bot asks the
    adapter with the same turn (src/prompts/keep-system-turn.ts)."""
    return str(cfg.tokenizer.get("system_turn", "full"))


def _run_and_publish(
    cfg: DictConfig, run_dir: Path, output_dir: Path, args: argparse.Namespace, events: EventWriter, examples: int
) -> int:
    import torch
    from torchtune import config as tune_config

    from trainer.cpu_budget import plan_cpu_budget

    if str(cfg.device) == "cpu":
        use_physical_cores()
    from trainer.peft_adapter import publish_adapter
    from trainer.recipe_runner import run_recipe

    try:
        budget = (
            plan_cpu_budget(cfg, args.dataset, tune_config.instantiate(cfg.tokenizer))
            if cfg.get("cpu_budget")
            else None
        )
    except ValueError as err:
        events.emit("error", message=f"the config's cpu_budget or tokenizer is invalid: {err}")
        return EXIT_BAD_INPUT
    if budget is not None:
        print(f"cpu budget: {budget}", file=sys.stderr)
    try:
        result = run_recipe(cfg, progress_fields=budget.progress_fields() if budget else {})
    except torch.OutOfMemoryError as err:
        events.emit(
            "error",
            message=(
                f"out of memory: {str(err).splitlines()[0] if str(err) else 'allocation failed'}; "
                f"retry with a smaller --batch-size (was {cfg.batch_size}) or --max-seq-len "
                f"(was {cfg.tokenizer.max_seq_len})"
            ),
        )
        return EXIT_OUT_OF_MEMORY
    except Exception as err:  # the worker needs one error line whatever failed
        events.emit("error", message=f"training failed: {type(err).__name__}: {err}")
        print(f"training failed: {err!r}", file=sys.stderr)
        import traceback

        traceback.print_exc()
        return EXIT_FAILED
    try:
        publish_adapter(
            run_dir / "tune",
            result.epochs - 1,
            output_dir,
            base_model_name=args.base_model_name,
            lora_dropout=float(cfg.model.get("lora_dropout", 0.0)),
            provenance=args.provenance,
        )
    except OSError as err:
        events.emit("error", message=f"could not publish the adapter to {output_dir}: {err}")
        return EXIT_FAILED
    events.emit(
        "done",
        adapter_dir=str(output_dir),
        steps=result.steps,
        # Passes over the dataset the steps made (1.0: every example once; TorchTune drops a
        # last partial batch, so a pass may leave out fewer examples than one step takes).
        epochs=round(result.epochs_reached, 3),
        examples=examples,
        # A CPU budget's count of one epoch's tokens (every example as the tokenizer cuts it).
        **({"dataset_tokens": budget.dataset_tokens} if budget else {}),
        train_seconds=round(result.train_seconds, 1),
        system_turn=system_turn_of(cfg),
        # The trainer process's peak resident memory (Linux reports KiB), model load included.
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    return EXIT_OK
