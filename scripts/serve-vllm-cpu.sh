#!/usr/bin/env bash
# Serves a model folder with vLLM's CPU build (from scripts/setup-cpu-stack.sh), in the
# foreground, with every adapter loadable at run time. The model name is the folder's path
# (vLLM's --model), which is what BASE_MODEL_NAME and each adapter's base_model_name_or_path
# must say.
#   bash scripts/serve-vllm-cpu.sh [MODEL_DIR] [PORT]
# Defaults: the embedded model and port (src/config/embedded-llm.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(npx --no-install tsx scripts/print-embedded-llm-env.ts)"
model_dir="${1:-$BASE_MODEL_DIR}"
port="${2:-$EMBEDDED_LLM_PORT}"

# vLLM's `python -m …api_server` through deploy/serve_vllm_cpu.py, which computes LoRA one
# sequence segment at a time instead of copying the adapter's weights for every prompt token (see
# there); not the `vllm` command: in vllm-cpu it fails on its own package metadata (it looks for
# the distribution "vllm").
# VLLM_ALLOW_RUNTIME_LORA_UPDATING: the bot loads new adapters with POST /v1/load_lora_adapter,
# because the filesystem resolver plugin is not registered in this build.
# VLLM_CPU_KVCACHE_SPACE (GiB): 1 GiB holds ~45k tokens of SmolLM2's cache, plenty for reviews.
# float32: the model was de-quantised to float32; its log-probs then equal transformers'.
export VLLM_ALLOW_RUNTIME_LORA_UPDATING=true
export VLLM_CPU_KVCACHE_SPACE="${VLLM_CPU_KVCACHE_SPACE:-1}"
exec "$EMBEDDED_VENV_DIR/bin/python" deploy/serve_vllm_cpu.py \
  --model "$model_dir" --host 127.0.0.1 --port "$port" --dtype float32 \
  --max-model-len "${VLLM_MAX_MODEL_LEN:-4096}" \
  --enable-lora --max-loras "${VLLM_MAX_LORAS:-2}" --max-lora-rank "${VLLM_MAX_LORA_RANK:-16}" \
  --max-cpu-loras "${VLLM_MAX_CPU_LORAS:-8}" \
  --disable-log-stats
