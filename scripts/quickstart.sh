#!/usr/bin/env bash
# One command from a fresh clone to a running bot: installs what is missing, starts Redis (with
# persistence) where REDIS_URL points if nothing answers there, makes the Python environment
# (.venv), and starts the server (and the workers once the app is registered). Ctrl-C or SIGTERM
# stops every process it started.
#   bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! need node || ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 22 || (major === 22 && minor >= 12) ? 0 : 1)'; then
  echo "tech-lead-bot needs Node.js 22.12 or newer (found: $(node --version 2>/dev/null || echo none)): https://nodejs.org/en/download" >&2
  exit 1
fi

# Locked versions; see .ci/run for why this is not `npm ci`.
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-save --no-audit --no-fund

# ---- .env: created once, then read here too (REDIS_URL, PORT, LLM_BASE_URL…) ----
[ -f .env ] || { cp .env.example .env; echo "Created .env from .env.example"; }
# The token vault needs a key; make one on first run (rotate later: new key first, old after).
if grep -q '^TOKEN_ENCRYPTION_KEYS=$' .env; then
  sed -i "s|^TOKEN_ENCRYPTION_KEYS=$|TOKEN_ENCRYPTION_KEYS=$(npm run --silent generate-key)|" .env
  echo "Generated TOKEN_ENCRYPTION_KEYS in .env"
fi
# The same file the server reads, with the same rule: the environment wins, empty means unset.
eval "$(node -e '
  const values = require("node:util").parseEnv(require("node:fs").readFileSync(".env", "utf8"));
  for (const name of ["REDIS_URL", "PORT", "HOST", "LLM_BASE_URL"]) {
    if (process.env[name] === undefined && values[name]) {
      console.log(`export ${name}=${JSON.stringify(values[name])}`);
    }
  }')"

# ---- Redis, where REDIS_URL says, with an append-only file: queued runs live there ----
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
read -r redis_host redis_port < <(node -e 'const u = new URL(process.argv[1]); console.log(u.hostname || "127.0.0.1", u.port || 6379)' "$redis_url")
if ! node -e 'const s = require("node:net").connect(Number(process.argv[2]), process.argv[1]); s.on("connect", () => process.exit(0)); s.on("error", () => process.exit(1))' "$redis_host" "$redis_port"; then
  case "$redis_host" in
    127.* | localhost | ::1) ;;
    *) echo "Nothing answers at REDIS_URL=$redis_url, and that is not this machine: start Redis there or change REDIS_URL in .env." >&2; exit 1 ;;
  esac
  if ! need redis-server; then
    echo "Installing redis-server (Debian/Ubuntu)…"
    as_root apt-get update -qq && as_root apt-get install -y -qq redis-server
  fi
  mkdir -p .redis
  redis-server --daemonize yes --bind "$redis_host" --port "$redis_port" --dir "$PWD/.redis" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --logfile "$PWD/.redis/redis.log"
  echo "Started Redis on $redis_host:$redis_port (data and append-only file in .redis/; stop it with: redis-cli -p $redis_port shutdown)"
fi

# ---- Python: the trainer stack `npm test` and the training worker need, in .venv ----
# --system-site-packages: a stack already installed system-wide (CI machines) is reused as is.
if [ ! -x .venv/bin/python3 ]; then
  python3 -m venv --system-site-packages .venv || {
    echo "Could not create .venv: install python3-venv (sudo apt-get install python3-venv) and run this again." >&2
    exit 1
  }
fi
if ! .venv/bin/python3 -c 'import torchtune, pytest, ruff' 2>/dev/null; then
  echo "Installing the trainer's Python packages into .venv (torch CPU build first; a few minutes)…"
  .venv/bin/python3 -m pip install -q --disable-pip-version-check torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu ||
    .venv/bin/python3 -m pip install -q --disable-pip-version-check torch==2.13.0
  .venv/bin/python3 -m pip install -q --disable-pip-version-check -r trainer/requirements.txt
fi
# Children run `python3 -m trainer …` (TRAINER_COMMAND, SCORER_COMMAND): the venv's.
export PATH="$PWD/.venv/bin:$PATH"

# ---- The processes: every child is stopped with us, and none outlives a failed server ----
children=()
stop_children() {
  trap - EXIT INT TERM
  [ ${#children[@]} -gt 0 ] || return 0
  kill -TERM "${children[@]}" 2>/dev/null || true
  wait "${children[@]}" 2>/dev/null || true
}
trap stop_children EXIT
trap 'stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM

if ! grep -q '^APP_ID=[0-9]' .env; then
  echo "No GitHub App yet: open http://localhost:${PORT:-3000} and click \"Register GitHub App\"."
  echo "Set PUBLIC_URL (or WEBHOOK_PROXY_URL, from https://smee.io/new) in .env first: GitHub sends webhooks there."
  echo "When GitHub sends you back, stop this (Ctrl-C) and run this command again."
  node_modules/.bin/tsx src/start/server.ts &
  children+=($!)
  wait "${children[@]}"
  exit $?
fi

# No LLM_BASE_URL: the embedded CPU stack (vLLM's CPU build on SmolLM2-135M, and a CPU training
# worker), started in the background and stopped with the rest.
if [ -z "${LLM_BASE_URL:-}" ]; then
  . scripts/start-embedded-llm.sh
  # shellcheck disable=SC2206
  children+=($embedded_pids)
fi

# The commands `npm start` / `npm run worker` run, without npm in between: npm does not forward
# signals to them.
node_modules/.bin/tsx src/start/server.ts &
server_pid=$!
children+=("$server_pid")
node_modules/.bin/tsx src/start/persona-worker.ts &
children+=($!)
# Whichever exits first (the server failing to start, a crash) stops the rest.
set +e
wait -n "${children[@]}"
status=$?
set -e
echo "A process of the bot exited ($status): stopping the others." >&2
exit "$status"
