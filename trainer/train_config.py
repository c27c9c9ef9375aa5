"""Builds the TorchTune config for one training run from our YAML and the CLI.

Order of precedence, lowest first: the YAML file, then what the trainer fills
in (paths, metric logger), then the hyper-parameter flags, then each
``--set key=value`` (OmegaConf dotlist syntax, e.g. ``model.num_layers=2``).
Only ``omegaconf`` is imported here, so building and checking a config is fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.train_inputs import BaseModel, InputError

DEFAULT_CONFIG = Path(__file__).parent / "configs" / "llama3_8B_lora.yaml"
FILLED = "FILLED_BY_TRAINER"
# TorchTune Llama builder argument <- Hugging Face config.json key, for model keys a
# YAML leaves FILLED_BY_TRAINER (the small profile reads its dims from the checkpoint).
MODEL_DIMS = {
    "vocab_size": "vocab_size",
    "num_layers": "num_hidden_layers",
    "num_heads": "num_attention_heads",
    "num_kv_heads": "num_key_value_heads",
    "embed_dim": "hidden_size",
    "intermediate_dim": "intermediate_size",
    "max_seq_len": "max_position_embeddings",
    "norm_eps": "rms_norm_eps",
}
HF_CHECKPOINTER = "torchtune.training.FullModelHFCheckpointer"
PROGRESS_LOGGER = "trainer.progress_logger.JsonLinesProgressLogger"
# Keys the trainer owns: the adapter is only found and published correctly
# when these are as it set them.
RESERVED_PREFIXES = ("output_dir", "checkpointer.output_dir", "metric_logger")


@dataclass(frozen=True)
class HyperParameters:
    """Flags that override the YAML; None leaves the YAML's value."""

    epochs: int | None = None
    rank: int | None = None
    alpha: float | None = None
    lr: float | None = None
    batch_size: int | None = None
    max_seq_len: int | None = None
    max_steps_per_epoch: int | None = None

    def as_overrides(self) -> dict[str, Any]:
        keys = {
            "epochs": "epochs",
            "rank": "model.lora_rank",
            "alpha": "model.lora_alpha",
            "lr": "optimizer.lr",
            "batch_size": "batch_size",
            "max_seq_len": "tokenizer.max_seq_len",
            "max_steps_per_epoch": "max_steps_per_epoch",
        }
        return {key: getattr(self, field) for field, key in keys.items() if getattr(self, field) is not None}


def add_set_argument(parser: Any, help_text: str) -> None:
    """The repeatable ``--set KEY=VALUE`` option (into ``args.sets``) that build_config applies last."""
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE", help=help_text)


def build_config(
    config_path: Path,
    *,
    dataset: Path,
    base_model: BaseModel,
    run_dir: Path,
    events_fd: int,
    hyper: HyperParameters,
    sets: list[str],
    examples: int,
) -> Any:
    """Return the merged OmegaConf DictConfig, checked for what the trainer relies on."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    if not config_path.is_file():
        raise InputError(f"--config {config_path}: no such file; leave --config out for the profile's YAML.")
    for item in sets:
        key, sep, _ = item.partition("=")
        if not sep or not key:
            raise InputError(f"--set {item!r} is not key=value; write e.g. --set model.num_layers=2.")
        if key.startswith(RESERVED_PREFIXES):
            raise InputError(f"--set {key} is set by the trainer; use --output-dir instead.")
    try:
        cfg = OmegaConf.load(config_path)
        filled = {
            "output_dir": str(run_dir),
            "checkpointer.checkpoint_dir": str(base_model.directory),
            "checkpointer.checkpoint_files": list(base_model.checkpoint_files),
            "checkpointer.output_dir": str(run_dir),
            "tokenizer.path": str(base_model.tokenizer_path),
            "dataset.data_files": str(dataset),
            "metric_logger": {"_component_": PROGRESS_LOGGER, "fd": events_fd},
            **hyper.as_overrides(),
        }
        if cfg.get("dtype") == FILLED:
            filled["dtype"] = cpu_native_dtype()
        for key in cfg.get("model", {}):
            if cfg.model[key] == FILLED:
                filled[f"model.{key}"] = model_dim(base_model.config, key)
        for key, value in filled.items():
            OmegaConf.update(cfg, key, value, merge=False, force_add=True)
        cfg = OmegaConf.merge(cfg, OmegaConf.from_dotlist(sets))
        resolved = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise InputError(f"config {config_path} with the given overrides is invalid: {err}") from None
    _check(resolved, examples)
    return cfg


def cpu_native_dtype(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """bf16 when the CPU has bf16 arithmetic (AVX-512 BF16 or AMX), else fp32."""
    try:
        flags = next((line for line in cpuinfo.read_text().splitlines() if line.startswith("flags")), "").split()
    except OSError:
        return "fp32"
    return "bf16" if {"avx512_bf16", "amx_bf16"} & set(flags) else "fp32"


def model_dim(hf_config: dict[str, Any], key: str) -> Any:
    """One TorchTune builder argument from the checkpoint's config.json."""
    if key == "rope_base":
        # transformers 5 writes rope_parameters; older checkpoints have rope_theta.
        rope = hf_config.get("rope_parameters") or {}
        if rope.get("rope_type", "default") != "default":
            raise InputError(
                f"the base model uses {rope['rope_type']!r} RoPE scaling, which the generic Llama builder "
                "does not apply; use a profile whose builder does (e.g. lora_llama3_2 for Llama 3.2)."
            )
        theta = rope.get("rope_theta", hf_config.get("rope_theta"))
        if theta is None:
            raise InputError("the base model's config.json has neither rope_parameters.rope_theta nor rope_theta.")
        return float(theta)
    if key not in MODEL_DIMS:
        raise InputError(f"model.{key} is {FILLED} in the config, but the trainer cannot read it from config.json.")
    if MODEL_DIMS[key] not in hf_config:
        raise InputError(f"the base model's config.json lacks {MODEL_DIMS[key]} (for model.{key}); re-prepare it.")
    head_dim = hf_config.get("head_dim")
    if head_dim is not None and head_dim * hf_config["num_attention_heads"] != hf_config["hidden_size"]:
        raise InputError(
            f"the base model's head_dim {head_dim} is not hidden_size / num_attention_heads; "
            "TorchTune's Llama builder cannot express it."
        )
    return hf_config[MODEL_DIMS[key]]


def _check(cfg: dict[str, Any], examples: int) -> None:
    if cfg.get("checkpointer", {}).get("_component_") != HF_CHECKPOINTER:
        raise InputError(
            f"checkpointer._component_ must be {HF_CHECKPOINTER}; only it writes a PEFT adapter vLLM can load."
        )
    if cfg.get("save_adapter_weights_only") is not True:
        raise InputError("save_adapter_weights_only must be True; the trainer publishes the adapter only.")
    for key in ("epochs", "batch_size", "gradient_accumulation_steps"):
        if not isinstance(cfg.get(key), int) or cfg[key] < 1:
            raise InputError(f"{key} must be a positive integer, got {cfg.get(key)!r}.")
    max_steps = cfg.get("max_steps_per_epoch")
    if max_steps is not None and (not isinstance(max_steps, int) or max_steps < 1):
        raise InputError(f"max_steps_per_epoch must be a positive integer or null, got {max_steps!r}.")
    model = cfg.get("model", {})
    unfilled = sorted(key for key, value in _flatten(cfg) if value == FILLED)
    if unfilled:
        raise InputError(f"{', '.join(unfilled)} left {FILLED}; the trainer fills only paths and model dims.")
    if not isinstance(model.get("lora_rank"), int) or model["lora_rank"] < 1:
        raise InputError(f"model.lora_rank (--rank) must be a positive integer, got {model.get('lora_rank')!r}.")
    per_step = cfg["batch_size"] * cfg["gradient_accumulation_steps"]
    if examples < per_step:
        raise InputError(
            f"the dataset has {examples} examples but one optimizer step takes batch_size x "
            f"gradient_accumulation_steps = {per_step}; add examples or lower --batch-size."
        )


def _flatten(tree: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(tree, dict):
        return [item for key, value in tree.items() for item in _flatten(value, f"{prefix}{key}.")]
    return [(prefix.rstrip("."), tree)]
