#!/usr/bin/env bash
# Starts what an image runs and checks that it works, with `buildah run` (chroot isolation, the
# host's network: a server in the image answers on 127.0.0.1, and it reaches this machine's Redis).
#   check-images.sh server IMAGE    the image's own ENTRYPOINT + CMD: the registration page with
#                                   no app registered; with an app (a throwaway key, GitHub
#                                   pointed at a closed local port) /healthz 200 and /readyz 200
#   check-images.sh worker IMAGE    compose.yaml's worker command in that image: "ready" (Redis
#                                   answers, the LLM lists the base model) and its /metrics
#   check-images.sh where IMAGE     the persona worker's where-model fit in that image: the
#                                   compiled fitWhereModel with the image's WHERE_FIT_COMMAND on
#                                   a small generated reviewer writes a model with a threshold
#   check-images.sh trainer IMAGE   imports the trainer stack; the image's own command (the
#                                   training worker) ready; the compiled scorer through
#                                   SCORER_COMMAND; the trainer's CPU test subset
#   check-images.sh vllm-cpu IMAGE  the image's own command with compose.yaml's arguments for
#                                   the vllm-cpu service, the prepared SmolLM2 mounted where compose
#                                   mounts it: the model listed, a chat answer, and a LoRA adapter
#                                   loaded at run time (POST /v1/load_lora_adapter, as the bot
#                                   loads them) whose log-probs differ from the base model's
# The LLM is a stand-in that lists one model (serve-model-list.py); GitHub is never called.
# Exits non-zero, with the container's output, when a check fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:?usage: check-images.sh server|worker|where|trainer|vllm-cpu IMAGE}"
image="${2:?usage: check-images.sh server|worker|where|trainer|vllm-cpu IMAGE}"
export BUILDAH_ISOLATION=chroot
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
prefix="images-check-$what-$$"
work=$(mktemp -d)
containers=()
background=()
run_volumes=() # --volume arguments start_in_image passes to `buildah run`

say() { echo "build-images: [$what] $*"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Every process this script started (each `buildah run` and what it runs), by id, then the
# containers and the queue keys.
descendants() { local child; for child in $(pgrep -P "$1" || true); do descendants "$child"; echo "$child"; done; }
# The image's own first process under a `buildah run` (below buildah's chroot helpers): what an
# engine signals. buildah does not pass SIGTERM on; killing it would orphan the app.
container_process() {
  local child
  for child in $(pgrep -P "$1" || true); do
    case "$(cat "/proc/$child/comm" 2>/dev/null)" in
    buildah* | memfd:buildah*) container_process "$child" ;;
    *) echo "$child" ;;
    esac
  done
}
cleanup() {
  local pid
  for pid in "${background[@]}"; do
    kill -TERM $(descendants "$pid") "$pid" 2>/dev/null || true
  done
  for ctr in "${containers[@]}"; do buildah rm "$ctr" >/dev/null 2>&1 || true; done
  redis-cli -u "$REDIS_URL" --scan --pattern "$prefix:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The image's command as its config says: ENTRYPOINT then CMD, NUL-separated.
image_command() {
  buildah inspect --type image "$1" | python3 -c '
import json, sys
config = json.load(sys.stdin)["OCIv1"]["config"]
sys.stdout.write("\0".join((config.get("Entrypoint") or []) + (config.get("Cmd") or [])))'
}

# start_in_image NAME ENV... -- COMMAND...: runs COMMAND in a fresh container of the image, in the
# background, output in $work/NAME.log; sets started_pid.
start_in_image() {
  local name=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=(--env "$1"); shift; done
  shift
  local ctr
  ctr=$(buildah from --pull=never "$image")
  containers+=("$ctr")
  say "starting in $image: $*"
  : >"$work/$name.log"
  buildah run "${envs[@]}" "${run_volumes[@]}" "$ctr" -- "$@" >"$work/$name.log" 2>&1 &
  started_pid=$!
  background+=("$started_pid")
}

# compose_command SERVICE: compose.yaml's command list for SERVICE, NUL-separated (fails without it).
compose_command() {
  [ -d node_modules/yaml ] || { say "FAILED: reading compose.yaml needs the project's packages: run npm install first"; exit 1; }
  node -e '
    const service = process.argv[1];
    const command = require("yaml").parse(require("fs").readFileSync("compose.yaml", "utf8")).services?.[service]?.command;
    if (!Array.isArray(command)) { console.error(`compose.yaml: services.${service}.command is not a list`); process.exit(1); }
    process.stdout.write(command.join("\0"));' "$1"
}

# wait_for_output NAME PID REGEX SECONDS: the process printed REGEX (else its output, and fail).
wait_for_output() {
  local name=$1 pid=$2 pattern=$3 deadline=$((SECONDS + $4))
  until grep -Eq "$pattern" "$work/$name.log"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      say "FAILED: $name never printed /$pattern/; its output:"
      tail -n 40 "$work/$name.log"
      return 1
    fi
    sleep 0.5
  done
  say "$name: $(grep -Eo "$pattern" "$work/$name.log" | head -n 1)"
}

# expect_http NAME URL STATUS [BODY_REGEX] [HEADER]: GET answers STATUS (and a body matching).
expect_http() {
  local name=$1 url=$2 want=$3 body_pattern=${4:-} header=${5:-}
  local status
  status=$(curl -s -o "$work/body" -w '%{http_code}' ${header:+-H "$header"} "$url" || true)
  if [ "$status" != "$want" ] || { [ -n "$body_pattern" ] && ! grep -Eq "$body_pattern" "$work/body"; }; then
    say "FAILED: GET $url answered $status (want $want${body_pattern:+, a body matching /$body_pattern/}): $(head -c 300 "$work/body")"
    tail -n 20 "$work/$name.log"
    return 1
  fi
  say "GET /${url#http://*/} -> $status${body_pattern:+ (/$body_pattern/)}"
}

# stop_in_image NAME PID: SIGTERM as an orchestrator sends it; the app exits 0 within 30 s.
stop_in_image() {
  local name=$1 pid=$2 code=0 app
  app=$(container_process "$pid" | head -n 1)
  [ -n "$app" ] || { say "FAILED: $name is not running"; tail -n 20 "$work/$name.log"; return 1; }
  kill -TERM "$app"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "FAILED: $name did not stop within 30 s of SIGTERM"
    return 1
  fi
  wait "$pid" || code=$?
  if [ "$code" != 0 ]; then
    say "FAILED: $name exited $code after SIGTERM; its output:"
    tail -n 20 "$work/$name.log"
    return 1
  fi
  say "$name stopped on SIGTERM, exit code 0"
}

# The environment of a deployed bot: a registered app (a throwaway key), GitHub at a closed local
# port (nothing may reach github.com), this machine's Redis, the stand-in LLM.
llm_port=$(free_port)
base_model=/models/images-check
python3 scripts/images/serve-model-list.py "$llm_port" "$base_model" &
background+=("$!")
private_key=$(openssl genrsa 2048 2>/dev/null)
app_env=(
  APP_ID=1 "PRIVATE_KEY=$private_key" "WEBHOOK_SECRET=$(openssl rand -hex 16)"
  GHE_HOST=127.0.0.1:9 GHE_PROTOCOL=http
  GITHUB_CLIENT_ID=Iv1.imagescheck "GITHUB_CLIENT_SECRET=$(openssl rand -hex 20)"
  "TOKEN_ENCRYPTION_KEYS=$(openssl rand -base64 32 | tr '+/' '-_')"
  "REDIS_URL=$REDIS_URL" "QUEUE_PREFIX=$prefix" LOG_FORMAT=json
  "LLM_BASE_URL=http://127.0.0.1:$llm_port/v1" "BASE_MODEL_NAME=$base_model"
  PUBLIC_URL=http://127.0.0.1:3000
)
mapfile -d '' own_command < <(image_command "$image")
[ "${#own_command[@]}" -gt 0 ] || { say "FAILED: $image has no ENTRYPOINT or CMD"; exit 1; }

case "$what" in
server)
  port=$(free_port)
  start_in_image registration "PORT=$port" HOST=127.0.0.1 LOG_FORMAT=json -- "${own_command[@]}"
  pid=$started_pid
  wait_for_output registration "$pid" "No GitHub App yet" 90
  expect_http registration "http://127.0.0.1:$port/probot" 200 "<h1>Register .* on GitHub</h1>"
  stop_in_image registration "$pid"

  port=$(free_port)
  start_in_image server "${app_env[@]}" "PORT=$port" HOST=127.0.0.1 -- "${own_command[@]}"
  pid=$started_pid
  wait_for_output server "$pid" "Listening on [^\"]*" 90
  expect_http server "http://127.0.0.1:$port/healthz" 200 '"status":"ok"'
  expect_http server "http://127.0.0.1:$port/readyz" 200 '"status":"ready"'
  stop_in_image server "$pid"
  ;;
worker)
  # The worker runs from the server's image with the command compose.yaml gives it.
  mapfile -d '' worker_command < <(compose_command worker)
  [ "${#worker_command[@]}" -gt 0 ] || { say "FAILED: no worker command in compose.yaml"; exit 1; }
  metrics_port=$(free_port)
  metrics_token=$(openssl rand -hex 16)
  start_in_image worker "${app_env[@]}" "METRICS_PORT=$metrics_port" "METRICS_TOKEN=$metrics_token" -- "${worker_command[@]}"
  pid=$started_pid
  wait_for_output worker "$pid" "persona worker ready: [^\"]*" 90
  expect_http worker "http://127.0.0.1:$metrics_port/metrics" 200 "^# (HELP|TYPE) " "authorization: Bearer $metrics_token"
  stop_in_image worker "$pid"
  ;;
where)
  # A toy reviewer who comments on hunks adding many lines under src/: 30 pull requests of 6
  # hunks, the rows the bot's buildWhereRows writes. Enough history for the fit's time-ordered
  # cross-validation to choose a threshold (not the too-little-history fallback).
  python3 - "$work/where-rows.jsonl" <<'PY'
import json, math, random, sys
rng = random.Random(1)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for pull in range(30):
        hunks = []
        for index in range(6):
            adds, in_src = rng.randint(0, 12), rng.random() < 0.5
            features = {"shape:adds": math.log1p(adds), "dir:src": float(in_src), f"tok:{rng.randrange(50)}": 1.0}
            hunks.append((index, int(in_src and adds > 6), features))
        commented = any(label for _, label, _ in hunks)
        for index, label, features in hunks:
            row = {"spec": "images-check", "pull": pull, "time": f"2024-02-{1 + pull % 28:02d}T{pull // 28:02d}:00:00Z",
                   "hunk": f"src/a.c#{index}", "commentedPull": commented, "label": label, "features": features}
            out.write(json.dumps(row) + "\n")
PY
  chmod 0644 "$work/where-rows.jsonl"
  ctr=$(buildah from --pull=never "$image")
  containers+=("$ctr")
  # As the persona worker runs it: the compiled fit, WHERE_FIT_COMMAND from the image's environment,
  # split as the worker splits it, from the image's working directory; the model file it writes is
  # read back and validated (whereModelSchema).
  if ! result=$(buildah run --volume "$work/where-rows.jsonl:/tmp/where-rows.jsonl:ro" "$ctr" -- node --input-type=module -e '
    const { readFileSync } = await import("node:fs");
    const { fitWhereModel } = await import("/app/dist/src/where/fit-where-model.js");
    const { splitCommandLine } = await import("/app/dist/src/train/train-config.js");
    const rows = readFileSync("/tmp/where-rows.jsonl", "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const command = splitCommandLine(process.env.WHERE_FIT_COMMAND ?? "");
    const { model, seconds } = await fitWhereModel({ rows, mode: "balanced", command });
    process.stdout.write(JSON.stringify({ command: command.join(" "), decision: model.decision, rows: model.trainedOn.rows, weights: Object.keys(model.weights).length, cv: model.cv, seconds }));' 2>&1); then
    say "FAILED: the where fit in the image: $result"
    exit 1
  fi
  echo "$result" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r["decision"]["kind"] == "threshold" and 0 < r["decision"]["threshold"] < 1, r
assert r["rows"] == 180 and r["weights"] >= 2 and r["cv"]["folds"] == 3, r' ||
    { say "FAILED: the where fit in the image wrote an unexpected model: $result"; exit 1; }
  say "where fit (WHERE_FIT_COMMAND) on 180 generated rows: $result"
  # Only scikit-learn and its own requirements: not the trainer stack.
  buildah run "$ctr" -- /opt/where-python/bin/python3 -c '
import importlib.util, sys
present = [name for name in ("torch", "transformers", "pandas", "pip") if importlib.util.find_spec(name)]
sys.exit(f"the where environment holds {present}" if present else 0)' ||
    { say "FAILED: the where environment is more than scikit-learn"; exit 1; }
  say "where environment: $(buildah run "$ctr" -- /opt/where-python/bin/python3 -c '
import importlib.metadata as metadata
print(" ".join(sorted(d.name + "==" + d.version for d in metadata.distributions())))')"
  ;;
trainer)
  ctr=$(buildah from --pull=never "$image")
  containers+=("$ctr")
  versions=$(buildah run "$ctr" -- python3 -c '
import torch, torchao, torchtune, transformers, peft, trainer
print(f"torch {torch.__version__} (CUDA build: {torch.version.cuda is not None}), torchtune {torchtune.__version__}, torchao {torchao.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")')
  say "imports the trainer: $versions"
  buildah run "$ctr" -- python3 -m trainer --help >/dev/null
  say "python3 -m trainer --help: exit code 0"

  # It evaluates each new adapter through the LLM (EVALUATE_AFTER_TRAINING), so it checks that too.
  start_in_image train-worker "REDIS_URL=$REDIS_URL" "QUEUE_PREFIX=$prefix" LOG_FORMAT=json \
    "LLM_BASE_URL=http://127.0.0.1:$llm_port/v1" "BASE_MODEL_NAME=$base_model" \
    "BASE_MODEL_DIR=$base_model" ADAPTERS_DIR=/home/trainer/adapters -- "${own_command[@]}"
  pid=$started_pid
  wait_for_output train-worker "$pid" "training worker ready: [^\"]*" 90
  stop_in_image train-worker "$pid"

  # The compiled scorer, as the training worker's evaluation starts it (SCORER_COMMAND, from the
  # image's environment), on three pairs: every metric, the embedding model loaded offline.
  printf '%s\n' \
    '{"pred": "Please rename x to count.", "gold": "Rename x to count, please."}' \
    '{"pred": "This loop never ends.", "gold": "Infinite loop here?"}' \
    '{"pred": "Add a test for the empty list.", "gold": "Needs a test for an empty list."}' >"$work/pairs.jsonl"
  chmod 0644 "$work/pairs.jsonl"
  summary=$(buildah run --volume "$work/pairs.jsonl:/tmp/pairs.jsonl:ro" "$ctr" -- node --input-type=module -e '
    const { createScorerRunner } = await import("/app/dist/src/eval/run-scorer.js");
    const score = createScorerRunner({ command: process.env.SCORER_COMMAND });
    process.stdout.write(JSON.stringify(await score({ pairsPath: "/tmp/pairs.jsonl" })));')
  echo "$summary" | python3 -c 'import json, sys; s = json.load(sys.stdin); assert s["n"] == 3 and s["embed_sim"] is not None, s' ||
    { say "FAILED: the scorer's summary: $summary"; exit 1; }
  say "compiled scorer (SCORER_COMMAND) on 3 pairs: $summary"

  # The trainer's tests (not in the image: trainer/Dockerfile.dockerignore) that need neither a
  # GPU, nor ../shared data, nor the prepared SmolLM2 checkpoint; the real LoRA recipe on a tiny
  # Llama included, and the blocked attention against the image's TorchTune (it replaces a
  # private attribute of its attention modules). The 1-minute dry-run bench is left to
  # `npm run test:trainer`.
  say "trainer CPU test subset (mounted from trainer/tests):"
  if ! buildah run --volume "$PWD/trainer/tests:/app/trainer/tests:ro" "$ctr" -- \
    python3 -m pytest -q -p no:cacheprovider \
    trainer/tests/test_train.py trainer/tests/test_system_turn.py trainer/tests/test_score_overlap.py \
    trainer/tests/test_score_location.py trainer/tests/test_publish_provenance.py trainer/tests/test_bench_gpu.py \
    trainer/tests/test_causal_attention.py \
    -k "not tiny_dry_run" >"$work/pytest.log" 2>&1; then
    tail -n 60 "$work/pytest.log"
    say "FAILED: the trainer tests failed in the image"
    exit 1
  fi
  tail -n 1 "$work/pytest.log"
  ;;
vllm-cpu)
  # compose's vllm-cpu service: the image's ENTRYPOINT with the service's command, the prepared
  # model (scripts/setup-cpu-stack.sh) and an adapters folder mounted where compose mounts its
  # volumes; only --host and --port changed (the host's network here, a free port).
  eval "$(npx --no-install tsx scripts/print-embedded-llm-env.ts 2>/dev/null)"
  [ -f "$BASE_MODEL_DIR/config.json" ] ||
    { say "FAILED: no prepared SmolLM2 at $BASE_MODEL_DIR: run bash scripts/setup-cpu-stack.sh first"; exit 1; }
  mapfile -d '' compose_args < <(compose_command vllm-cpu)
  serve_args=()
  for arg in "${compose_args[@]}"; do
    case "$arg" in --host=* | --port=*) ;; *) serve_args+=("$arg") ;; esac
  done
  model=$(printf '%s\n' "${serve_args[@]}" | sed -n 's/^--model=//p')
  [ -n "$model" ] || { say "FAILED: compose.yaml's vllm-cpu command names no --model="; exit 1; }
  # A LoRA adapter of the served model in PEFT's format, its weights random (B not zero): loaded,
  # it must change the model's log-probs.
  adapter=images-check-adapter
  mkdir -p "$work/adapters"
  if ! sh scripts/python.sh - "$BASE_MODEL_DIR" "$work/adapters/$adapter" "$model" >"$work/adapter.log" 2>&1 <<'PY'; then
import sys
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

base_dir, out, served = sys.argv[1:4]
torch.manual_seed(0)
model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
config = LoraConfig(r=8, lora_alpha=16, init_lora_weights=False,
                    target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
peft_model = get_peft_model(model, config)
peft_model.peft_config["default"].base_model_name_or_path = served
peft_model.save_pretrained(out)
PY
    tail -n 20 "$work/adapter.log"
    say "FAILED: could not write a test adapter (PEFT) for $BASE_MODEL_DIR"
    exit 1
  fi
  chmod -R a+rX "$work/adapters"
  port=$(free_port)
  run_volumes=(--volume "$BASE_MODEL_DIR:$model:ro" --volume "$work/adapters:/srv/adapters:ro")
  start_in_image vllm -- "${own_command[@]}" "${serve_args[@]}" --host=127.0.0.1 "--port=$port"
  pid=$started_pid
  run_volumes=()
  deadline=$((SECONDS + 600))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/v1/models"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      say "FAILED: vLLM never answered /v1/models (within 600 s); its errors and warnings, then the end of its output:"
      grep -E "ERROR|WARNING|Error:" "$work/vllm.log" | head -n 30 || true
      tail -n 40 "$work/vllm.log"
      exit 1
    fi
    sleep 2
  done
  say "vLLM answered /v1/models after $((SECONDS + 600 - deadline)) s"
  expect_http vllm "http://127.0.0.1:$port/v1/models" 200 "\"id\":\"$model\""
  # first_logprob MODEL: the answer's first token and its log-prob, greedy, one token.
  first_logprob() {
    curl -s --max-time 120 "http://127.0.0.1:$port/v1/chat/completions" -H 'Content-Type: application/json' \
      -d "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"Review this line: x = x + 1\"}],\"max_tokens\":1,\"temperature\":0,\"logprobs\":true}" |
      python3 -c '
import json, sys
body = json.load(sys.stdin)
token = body["choices"][0]["logprobs"]["content"][0]
print(repr(token["token"]), format(token["logprob"], ".4f"))'
  }
  base_answer=$(first_logprob "$model") || { say "FAILED: no chat answer from the base model"; tail -n 20 "$work/vllm.log"; exit 1; }
  say "chat answer from $model: first token and log-prob $base_answer"
  status=$(curl -s -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/v1/load_lora_adapter" \
    -H 'Content-Type: application/json' -d "{\"lora_name\":\"$adapter\",\"lora_path\":\"/srv/adapters/$adapter\"}")
  [ "$status" = 200 ] || { say "FAILED: POST /v1/load_lora_adapter answered $status: $(head -c 300 "$work/body")"; tail -n 20 "$work/vllm.log"; exit 1; }
  say "POST /v1/load_lora_adapter -> 200"
  expect_http vllm "http://127.0.0.1:$port/v1/models" 200 "\"id\":\"$adapter\""
  adapter_answer=$(first_logprob "$adapter") || { say "FAILED: no chat answer from the adapter"; tail -n 20 "$work/vllm.log"; exit 1; }
  say "chat answer from $adapter: first token and log-prob $adapter_answer"
  [ "$adapter_answer" != "$base_answer" ] || { say "FAILED: the adapter's answer is the base model's: the adapter was not applied"; exit 1; }
  stop_in_image vllm "$pid"
  ;;
*)
  echo "usage: check-images.sh server|worker|where|trainer|vllm-cpu IMAGE" >&2
  exit 2
  ;;
esac
