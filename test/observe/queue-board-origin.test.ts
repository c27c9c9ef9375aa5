import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createQueueBoardHandler } from "../../src/observe/create-queue-board-handler.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";
import { eventually } from "../../support/webhooks.js";

/**
 * The queue board's writes (retry, clean, remove) authenticate with HTTP Basic, which a browser
 * resends by itself to any request for the board, including one another site makes it send. So
 * a write must show it comes from the board's own page: a same-origin Origin (or Referer). A
 * request with neither is refused; a Bearer token (never sent by a browser on its own) is not
 * forgeable and needs no Origin.
 */
const ADMIN_TOKEN = "queue-board-admin-token-51f0";
const basic = `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString("base64")}`;
const prefix = uniqueName("board");
const QUEUE = "board-origin";

let redis: Redis;
let queue: Queue;
let server: Server;
let origin: string;

async function addFailedJob(): Promise<void> {
  await queue.add("doomed", {}, { attempts: 1 });
  const worker = new Worker(
    QUEUE,
    async () => {
      throw new Error("fails on purpose");
    },
    { connection: redis.duplicate(), prefix },
  );
  await eventually(async () => expect(await queue.getJobCountByTypes("failed")).toBeGreaterThan(0));
  await worker.close();
}

/** "Retry all failed jobs", as the board's button sends it. */
const retryAll = (headers: Record<string, string>) =>
  fetch(`${origin}/admin/queues/api/queues/${QUEUE}/retry/failed`, { method: "PUT", headers });

beforeAll(async () => {
  redis = await connectTestRedis();
  queue = new Queue(QUEUE, { connection: redis.duplicate(), prefix });
  const board = createQueueBoardHandler({ token: ADMIN_TOKEN, queues: [queue] });
  server = createServer(async (req, res) => {
    if (!(await board(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  await queue.obliterate({ force: true });
  await addFailedJob();
});

afterAll(async () => {
  server.close();
  await queue.close();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

describe("queue board writes", () => {
  it("refuses a Basic-authenticated write with no Origin or Referer", async () => {
    const response = await retryAll({ authorization: basic });
    expect(response.status).toBe(403);
    expect(await queue.getJobCountByTypes("failed")).toBe(1);
  });

  it("refuses a write from another site", async () => {
    for (const headers of [
      { origin: "https://evil.example" },
      { referer: "https://evil.example/page" },
      { "sec-fetch-site": "cross-site", origin },
    ]) {
      expect((await retryAll({ authorization: basic, ...headers })).status).toBe(403);
    }
    expect(await queue.getJobCountByTypes("failed")).toBe(1);
  });

  it("takes a write from the board's own page", async () => {
    const response = await retryAll({ authorization: basic, origin });
    expect(response.status).toBe(200);
    expect(await queue.getJobCountByTypes("failed")).toBe(0);
  });

  it("takes a same-origin Referer when the browser sends no Origin", async () => {
    const response = await retryAll({ authorization: basic, referer: `${origin}/admin/queues` });
    expect(response.status).toBe(200);
  });

  it("takes a Bearer-authenticated write from a script", async () => {
    const response = await retryAll({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(response.status).toBe(200);
    expect(await queue.getJobCountByTypes("failed")).toBe(0);
  });
});
