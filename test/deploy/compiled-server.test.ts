import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeploymentEnv } from "../../support/app-harness.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";
import {
  freePort,
  type SpawnedProcess,
  serverProcessEnv,
  spawnCommand,
} from "../../support/spawn-process.js";
import { testPrivateKey } from "../../support/webhooks.js";

/**
 * The production image runs `npm run build`'s output with node, not tsx: a file the compiled
 * code reads but the build does not emit (the dashboard's stylesheet once) passes every tsx test
 * and kills the image at start. This builds, then runs the image's own command (the Dockerfile's
 * last ENTRYPOINT + CMD, past tini) from the repository root, as the image runs it from /app.
 */
const run = promisify(execFile);

/** The JSON-array ENTRYPOINT and CMD of the Dockerfile's final stage, the init (tini --) left out. */
function imageCommand(dockerfile: string): string[] {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const last = (keyword: string): string[] => {
    const lines = [...finalStage.matchAll(new RegExp(`^${keyword}\\s+(\\[.*\\])\\s*$`, "gm"))];
    const json = lines.at(-1)?.[1];
    return json ? (JSON.parse(json) as string[]) : [];
  };
  return [...last("ENTRYPOINT"), ...last("CMD")].filter(
    (word) => !/(^|\/)(tini|dumb-init)$/.test(word) && word !== "--",
  );
}

const command = imageCommand(readFileSync("Dockerfile", "utf8"));
let github: FakeGitHub;
let redis: Redis;
const prefix = uniqueName("compiled");
const started: SpawnedProcess[] = [];

beforeAll(async () => {
  github = await startFakeGitHub();
  redis = await connectTestRedis();
  // The build the Dockerfile's build stage runs; its output goes to dist/, as there.
  await run("npm", ["run", "build"], { timeout: 240_000 });
}, 300_000);

afterAll(async () => {
  for (const server of started) await server.stop();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
  await github.close();
});

describe("the compiled server, started with the image's command", () => {
  it("is node running compiled JavaScript", () => {
    expect(command[0]).toBe("node");
    expect(command[1]).toMatch(/^dist\/.+\.js$/);
  });

  it("serves /healthz with an app registered and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const server = spawnCommand(
      command,
      serverProcessEnv({
        githubHost: github.host,
        port,
        queuePrefix: prefix,
        privateKey: testPrivateKey(),
        webhookSecret: "compiled-webhook-secret",
        deploymentEnv: {
          NODE_ENV: "production",
          LOG_LEVEL: "info",
          ...testDeploymentEnv(`http://127.0.0.1:${port}`),
        },
      }),
    );
    started.push(server);
    await server.waitForOutput(/Listening on/, 30_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // The dashboard's stylesheet is read from beside the compiled module.
    const css = await fetch(`http://127.0.0.1:${port}/dashboard/style.css`);
    expect([css.status, await css.text()]).toEqual([
      200,
      readFileSync("src/dashboard/dashboard.css", "utf8"),
    ]);
    expect(await server.stop()).toBe(0);
  }, 60_000);

  it("runs the scorer (python -m trainer score) in the repository root, where the package is", async () => {
    // The training worker's evaluation imports this compiled module; a relative command path
    // only runs from the right directory.
    const script = `const { createScorerRunner } = await import("./dist/src/eval/run-scorer.js");
const score = createScorerRunner({ command: "node test/deploy/support/score-from-repository-root.mjs" });
process.stdout.write(JSON.stringify(await score({ pairsPath: "/dev/null" })));`;
    const { stdout } = await run("node", ["--input-type=module", "-e", script]);
    expect(JSON.parse(stdout)).toMatchObject({ n: 0, bleu: null });
  });

  it("serves the registration page when no app is registered yet", async () => {
    const port = await freePort();
    const server = spawnCommand(command, {
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_FORMAT: "json",
      APP_ID: "",
      PRIVATE_KEY: "",
      PRIVATE_KEY_PATH: "",
      WEBHOOK_PROXY_URL: "",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
    });
    started.push(server);
    await server.waitForOutput(/No GitHub App yet/, 30_000);
    const page = await fetch(`http://127.0.0.1:${port}/probot`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<h1>Register .+ on GitHub<\/h1>/);
    expect(await server.stop()).toBe(0);
  }, 60_000);
});
