import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../support/spawn-process.js";
import { eventually, testPrivateKey } from "../../support/webhooks.js";

/**
 * `npm run quickstart` from a copy of the checkout (its node_modules shared), with settings only
 * in that copy's .env: it must start Redis where REDIS_URL says, with an append-only file, and
 * leave no process behind on Ctrl-C or when the server cannot start.
 */
let dir: string;
let redisPort: number;
const running: ChildProcess[] = [];

function startQuickstart() {
  const env = { ...process.env };
  for (const name of ["REDIS_URL", "PORT", "HOST", "APP_ID", "PRIVATE_KEY", "DOTENV_CONFIG_PATH"]) {
    delete env[name];
  }
  const child = spawn("bash", ["scripts/quickstart.sh"], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  running.push(child);
  return { child, exited, output: () => output };
}

/** Whether any process of the quickstart's process group is still alive. */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-(child.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
}

function writeEnv(values: Record<string, string>) {
  const base = readFileSync(join(dir, ".env.example"), "utf8");
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value}`);
  writeFileSync(join(dir, ".env"), `${base}\n${lines.join("\n")}\n`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "quickstart-"));
  const tracked = execFileSync("git", ["ls-files"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  for (const path of tracked) cpSync(path, join(dir, path));
  symlinkSync(join(process.cwd(), "node_modules"), join(dir, "node_modules"));
  // Older than node_modules: the quickstart must not reinstall into the shared node_modules.
  utimesSync(join(dir, "package-lock.json"), new Date(0), new Date(0));
});

afterAll(() => {
  for (const child of running)
    if (child.pid && groupAlive(child)) process.kill(-child.pid, "SIGKILL");
  if (redisPort) spawn("redis-cli", ["-p", String(redisPort), "shutdown", "nosave"]);
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run quickstart", () => {
  it("starts Redis on REDIS_URL's port from .env, with an append-only file, and stops everything on Ctrl-C", async () => {
    redisPort = await freePort();
    const port = await freePort();
    writeEnv({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: String(port),
      HOST: "127.0.0.1",
    });
    const quickstart = startQuickstart();
    await eventually(async () => {
      expect(quickstart.output()).toContain("No GitHub App yet");
      expect((await fetch(`http://127.0.0.1:${port}/probot`)).status).toBe(200);
    }, 120_000);
    expect(quickstart.output()).toContain(`Started Redis on 127.0.0.1:${redisPort}`);
    const appendonly = execFileSync(
      "redis-cli",
      ["-p", String(redisPort), "config", "get", "appendonly"],
      {
        encoding: "utf8",
      },
    );
    expect(appendonly).toContain("yes");

    process.kill(quickstart.child.pid ?? 0, "SIGINT");
    await quickstart.exited;
    // Redis daemonises on purpose (queued runs outlive the bot); the bot's own processes must not.
    await eventually(() => expect(groupAlive(quickstart.child)).toBe(false), 15_000);
  }, 180_000);

  it("stops the workers when the server cannot start", async () => {
    const port = await freePort();
    // Something else holds the port, so the server fails at start-up.
    const blocker = spawn("node", [
      "-e",
      `require("node:http").createServer().listen(${port}, "127.0.0.1")`,
    ]);
    running.push(blocker);
    writeEnv({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_ID: "1",
      PRIVATE_KEY: JSON.stringify(testPrivateKey())
        .replace(/^"|"$/g, "")
        .replace(/^/, '"')
        .concat('"'),
      WEBHOOK_SECRET: "quickstart-secret",
      GITHUB_CLIENT_ID: "Iv1.quickstart",
      GITHUB_CLIENT_SECRET: "quickstart-client-secret",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LLM_BASE_URL: "http://127.0.0.1:9/v1",
    });
    const quickstart = startQuickstart();
    const code = await quickstart.exited;
    blocker.kill();
    expect(code).not.toBe(0);
    expect(quickstart.output()).toContain("already in use");
    await eventually(() => expect(groupAlive(quickstart.child)).toBe(false), 15_000);
  }, 180_000);
});
