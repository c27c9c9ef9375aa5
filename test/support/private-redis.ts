import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { freePort } from "../../support/spawn-process.js";
import { eventually } from "../../support/webhooks.js";

/**
 * A redis-server of the test's own (free port, temp dir, AOF with fsync on every write, as the
 * README says production must run), so a test can shut it down and start it again. Never the
 * shared Redis.
 */
export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  /** SHUTDOWN, as an operator's restart or a redeploy does; AOF has every write. */
  stop(): Promise<void>;
  /** Stops it and deletes its data directory. */
  remove(): Promise<void>;
}

export async function createPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), "redis-private-"));
  const port = await freePort();
  let server: ChildProcess | undefined;
  const stop = async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server?.on("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      server = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir].concat([
          "--appendonly",
          "yes",
          "--appendfsync",
          "always",
          "--save",
          "",
        ]),
        { stdio: "ignore" },
      );
      await eventually(async () => {
        const probe = spawn("redis-cli", ["-p", String(port), "ping"]);
        const code = await new Promise((resolve) => probe.on("exit", resolve));
        expect(code).toBe(0);
      });
    },
    stop,
    async remove() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
