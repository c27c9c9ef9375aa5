#!/usr/bin/env bash
# The embedded default, sourced by scripts/quickstart.sh when LLM_BASE_URL is unset: sets up the
# CPU stack once (scripts/setup-cpu-stack.sh), starts vLLM's CPU build on SmolLM2-135M unless it
# already answers, waits until GET /v1/models lists the model, and starts a CPU training worker
# (npm run worker:train). The bot's processes find both through the same rule
# (src/config/embedded-llm.ts), so nothing else needs setting.
# After sourcing: $embedded_pids holds the processes it started (for the caller's trap).
#   . scripts/start-embedded-llm.sh
bash scripts/setup-cpu-stack.sh
eval "$(npx --no-install tsx scripts/print-embedded-llm-env.ts)"

embedded_pids=""
models_url="$LLM_BASE_URL/models"
serves_model() { curl -sf "$models_url" 2>/dev/null | grep -qF "\"id\":\"$BASE_MODEL_NAME\""; }

if serves_model; then
  echo "vLLM (CPU) already serves $BASE_MODEL_NAME at $LLM_BASE_URL"
else
  vllm_log="$EMBEDDED_CACHE_DIR/vllm-cpu.log"
  echo "Starting vLLM (CPU) on $BASE_MODEL_NAME at $LLM_BASE_URL (log: $vllm_log; 1-3 minutes)…"
  bash scripts/serve-vllm-cpu.sh >"$vllm_log" 2>&1 &
  embedded_pids="$!"
  started=$SECONDS
  until serves_model; do
    if ! kill -0 "$embedded_pids" 2>/dev/null; then
      echo "vLLM (CPU) stopped before it answered; the end of $vllm_log:" >&2
      tail -n 30 "$vllm_log" >&2
      return 1 2>/dev/null || exit 1
    fi
    if [ $((SECONDS - started)) -gt 900 ]; then
      echo "vLLM (CPU) did not answer $models_url within 15 minutes; see $vllm_log" >&2
      return 1 2>/dev/null || exit 1
    fi
    sleep 2
  done
  echo "vLLM (CPU) is up after $((SECONDS - started)) s"
fi

# Reviewers with enough history get an adapter trained on this machine's CPU (the SmolLM2
# profile, TRAINING_PROFILE's embedded default, bounded in time and memory by the trainer); set
# TRAINING_ENABLED=false (in .env or the environment) to stay few-shot.
if [ -z "${TRAINING_ENABLED:-}" ] && ! grep -q '^TRAINING_ENABLED=.' .env 2>/dev/null; then
  export TRAINING_ENABLED=true
fi
# CPU training takes about 20 minutes: a mention is reviewed few-shot at once, and the adapter's
# review follows on the same PR when training ends. REVIEW_WHILE_TRAINING=false waits instead.
if [ -z "${REVIEW_WHILE_TRAINING:-}" ] && ! grep -q '^REVIEW_WHILE_TRAINING=.' .env 2>/dev/null; then
  export REVIEW_WHILE_TRAINING=true
fi
# tsx directly, not npm: npm would not pass the caller's SIGTERM on to the worker.
node_modules/.bin/tsx src/start/train-worker.ts &
embedded_pids="$embedded_pids $!"
