# Sourced by .ci/run and scripts/quickstart.sh (bash): puts Node.js 22.12 or newer first on PATH.
# Node 22 LTS is the line package.json's engines, the Dockerfiles and the scripts agree on (Node 20
# is end-of-life; Octokit's dependencies need 22). A machine whose Node is older (or that has only
# npm) gets Node's own Linux build from the npm registry, package node-linux-<arch>@22, once, in
# ${TLB_CACHE_DIR:-~/.cache/tech-lead-bot}/node22, and says so.
#   . scripts/ensure-node22.sh

tlb_node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 22 || (major === 22 && minor >= 12) ? 0 : 1)' 2>/dev/null
}

if ! tlb_node_is_recent; then
  tlb_found_node="$(node --version 2>/dev/null || echo none)"
  case "$(uname -m)" in
    x86_64 | amd64) tlb_node_arch=x64 ;;
    aarch64 | arm64) tlb_node_arch=arm64 ;;
    *) tlb_node_arch="" ;;
  esac
  tlb_node22="${TLB_CACHE_DIR:-$HOME/.cache/tech-lead-bot}/node22"
  tlb_node22_bin="$tlb_node22/node_modules/node-linux-$tlb_node_arch/bin"
  if [ -z "$tlb_node_arch" ]; then
    echo "tech-lead-bot needs Node.js 22.12 or newer (found: $tlb_found_node), and the npm registry has no Node build for $(uname -m): install Node 22 from https://nodejs.org/en/download" >&2
    exit 1
  fi
  if [ ! -x "$tlb_node22_bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "tech-lead-bot needs Node.js 22.12 or newer (found: $tlb_found_node), and npm to fetch it: install Node.js with npm (apt-get install nodejs npm) or Node 22 from https://nodejs.org/en/download" >&2
      exit 1
    fi
    echo "Node.js $tlb_found_node is older than 22.12: fetching Node 22 from the npm registry (node-linux-$tlb_node_arch@22) into $tlb_node22"
    npm install -q --no-save --no-audit --no-fund --prefix "$tlb_node22" "node-linux-$tlb_node_arch@22"
  else
    echo "Node.js $tlb_found_node is older than 22.12: using Node 22 from $tlb_node22"
  fi
  export PATH="$tlb_node22_bin:$PATH"
  if ! tlb_node_is_recent; then
    echo "The Node in $tlb_node22_bin is $(node --version 2>/dev/null || echo missing), not 22.12 or newer: remove $tlb_node22 and run this again" >&2
    exit 1
  fi
fi
