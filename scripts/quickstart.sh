#!/usr/bin/env bash
# One command from a fresh clone to a running bot: installs what is missing, starts Redis if
# nothing answers, and starts the server (and the workers once the app is registered).
#   bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need node || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "tech-lead-bot needs Node.js 20.18 or newer: https://nodejs.org/en/download" >&2
  exit 1
fi

# Locked versions; see .ci/run for why this is not `npm ci`.
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-save --no-audit --no-fund

redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
if ! node -e "const s=require('node:net').connect(new URL('$redis_url').port||6379,new URL('$redis_url').hostname);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))"; then
  if ! need redis-server; then
    echo "Installing redis-server (Debian/Ubuntu)…"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server; else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server; fi
  fi
  redis-server --daemonize yes --bind 127.0.0.1 --save "" --appendonly no
fi

[ -f .env ] || { cp .env.example .env; echo "Created .env from .env.example"; }
# The token vault needs a key; make one on first run (rotate later: new key first, old after).
if grep -q '^TOKEN_ENCRYPTION_KEYS=$' .env; then
  sed -i "s|^TOKEN_ENCRYPTION_KEYS=$|TOKEN_ENCRYPTION_KEYS=$(npm run --silent generate-key)|" .env
  echo "Generated TOKEN_ENCRYPTION_KEYS in .env"
fi

if grep -q '^APP_ID=[0-9]' .env; then
  # No LLM_BASE_URL: the embedded CPU stack (vLLM CPU + SmolLM2 + a CPU training worker).
  embedded_pids=""
  if [ -z "${LLM_BASE_URL:-}" ] && ! grep -q '^LLM_BASE_URL=.' .env; then
    . scripts/start-embedded-llm.sh
  fi
  npm run worker &
  worker_pid=$!
  trap 'kill -TERM $worker_pid $embedded_pids 2>/dev/null; wait $worker_pid $embedded_pids 2>/dev/null' EXIT
  npm start
else
  echo "No GitHub App yet: open http://localhost:${PORT:-3000} and click \"Register GitHub App\"."
  echo "When GitHub sends you back, stop this (Ctrl-C) and run this command again."
  npm start
fi
