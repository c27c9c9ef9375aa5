import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * scripts/ensure-node22.sh, which .ci/run and the quickstart source: a machine whose Node is
 * older than 22.12 gets Node 22 from the npm registry's node-linux-<arch> package in the cache,
 * says so, and goes on with it first on PATH. The old Node, the fetched Node and npm are
 * stand-ins here (scripts answering as Node 20 and Node 22.12 would, and an npm that records its
 * arguments and unpacks the Node 22 stand-in), so the test holds whatever Node runs vitest; the
 * real fetch is what the quickstart does on such a machine.
 */
const script = resolve(import.meta.dirname, "../../scripts/ensure-node22.sh");
const arch = process.arch === "arm64" ? "arm64" : "x64";
let dir: string;
let oldBin: string;
let cache: string;
let node22: string;
const NODE22_VERSION = "v22.12.0";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ensure-node22-"));
  oldBin = join(dir, "old-bin");
  cache = join(dir, "cache");
  mkdirSync(oldBin);
  // Node 22.12: `--version` says so, and the version check (`node -e …`) passes.
  node22 = join(dir, "node22-stand-in");
  writeFileSync(
    node22,
    `#!/bin/sh\n[ "$1" = --version ] && { echo ${NODE22_VERSION}; exit 0; }\nexit 0\n`,
    {
      mode: 0o755,
    },
  );
  // Node 20: `--version` says so, and the version check (`node -e …`) fails as it would there.
  writeFileSync(
    join(oldBin, "node"),
    '#!/bin/sh\n[ "$1" = --version ] && { echo v20.19.0; exit 0; }\nexit 1\n',
    { mode: 0o755 },
  );
  // npm: records its arguments and "installs" this Node where node-linux-<arch> puts its binary.
  writeFileSync(
    join(oldBin, "npm"),
    `#!/bin/sh\necho "$@" > "${dir}/npm-args"\nprefix=""\nwhile [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done\nmkdir -p "$prefix/node_modules/node-linux-${arch}/bin"\nln -s "${node22}" "$prefix/node_modules/node-linux-${arch}/bin/node"\n`,
    { mode: 0o755 },
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function ensure() {
  return spawnSync("bash", ["-c", `. ${JSON.stringify(script)} && node --version`], {
    env: { PATH: `${oldBin}:/usr/bin:/bin`, HOME: dir, TLB_CACHE_DIR: cache },
    encoding: "utf8",
  });
}

describe("ensure-node22.sh", () => {
  it("fetches node-linux-<arch>@22 into the cache when Node is older than 22.12, and says so", () => {
    const result = ensure();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, "npm-args"), "utf8")).toContain(
      `--prefix ${join(cache, "node22")} node-linux-${arch}@22`,
    );
    expect(result.stdout).toContain("Node.js v20.19.0 is older than 22.12: fetching Node 22");
    expect(result.stdout.trim().split("\n").at(-1)).toBe(NODE22_VERSION);
  });

  it("uses the cached Node 22 without fetching it again", () => {
    ensure();
    rmSync(join(dir, "npm-args"));
    const again = ensure();
    expect(again.status).toBe(0);
    expect(existsSync(join(dir, "npm-args"))).toBe(false);
    expect(again.stdout).toContain(`using Node 22 from ${join(cache, "node22")}`);
    expect(again.stdout.trim().split("\n").at(-1)).toBe(NODE22_VERSION);
  });

  it("leaves a recent Node alone", () => {
    rmSync(join(oldBin, "node"));
    symlinkSync(node22, join(oldBin, "node"));
    const result = ensure();
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(NODE22_VERSION);
    expect(existsSync(join(dir, "npm-args"))).toBe(false);
  });
});
