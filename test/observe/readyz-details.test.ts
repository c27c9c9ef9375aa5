import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createObserveHandler } from "../../src/observe/create-observe-handler.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";

/**
 * `/readyz` is polled by load balancers and reachable by anyone who reaches the bot: the reasons
 * behind "not ready" name LLM_BASE_URL and every model vLLM serves (adapter names can name
 * private repositories and reviewers), so only the holder of METRICS_TOKEN may read them.
 */
const METRICS_TOKEN = "readyz-metrics-token-7a1e";
const ADAPTER = "acme-private-payroll--alice--v3";

let redis: Redis;
let queue: Queue;
let llm: Server;
let llmBaseUrl: string;
const prefix = uniqueName("readyz");
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The bot's observe routes on a real HTTP server, asking `baseUrl` for `baseModel`. */
async function startBot(params: { baseModel: string; baseUrl?: string }): Promise<string> {
  const handler = createObserveHandler({
    redis,
    queues: [queue],
    llm: { baseUrl: params.baseUrl ?? llmBaseUrl, apiKey: "k", baseModel: params.baseModel },
    metricsToken: METRICS_TOKEN,
    adminToken: undefined,
  });
  return listen(
    createServer(async (req, res) => {
      if (!(await handler(req, res))) res.writeHead(404).end();
    }),
  );
}

beforeAll(async () => {
  redis = await connectTestRedis();
  queue = new Queue("readyz", { connection: redis.duplicate(), prefix });
  // A vLLM serving a base model and a reviewer's adapter.
  llm = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ object: "list", data: [{ id: "base" }, { id: ADAPTER }] }));
  });
  llmBaseUrl = `${await listen(llm)}/v1`;
});

afterAll(async () => {
  for (const server of servers) server.close();
  await queue.close();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

describe("/readyz", () => {
  it("tells an unauthenticated caller only whether the bot is ready", async () => {
    const notReady = await startBot({ baseModel: "not-served" });
    const response = await fetch(`${notReady}/readyz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: "not ready" });
    expect(text).not.toContain(ADAPTER);
    expect(text).not.toContain(llmBaseUrl);

    const ready = await fetch(`${await startBot({ baseModel: "base" })}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });

    const unreachable = await startBot({ baseModel: "base", baseUrl: "http://10.0.0.7:9/v1" });
    const down = await fetch(`${unreachable}/readyz`, {
      headers: { authorization: "Bearer not-the-metrics-token" },
    });
    expect(down.status).toBe(503);
    expect(await down.text()).not.toContain("10.0.0.7");
  });

  it("gives each check's detail to the holder of METRICS_TOKEN", async () => {
    const origin = await startBot({ baseModel: "not-served" });
    const response = await fetch(`${origin}/readyz`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { name: string; detail: string }[] };
    expect(body.checks.map((check) => check.name)).toEqual(["redis", "queues", "llm"]);
    expect(body.checks[2]?.detail).toContain(ADAPTER);
    expect(body.checks[2]?.detail).toContain("BASE_MODEL_NAME=not-served");
  });
});
