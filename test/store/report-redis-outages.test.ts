import { describe, expect, it } from "vitest";
import { closeRedis, connectRedis, reconnectDelayMs } from "../../src/store/connect-redis.js";
import { captureLog } from "../../support/capture-log.js";
import { freePort } from "../../support/spawn-process.js";

describe("a Redis that does not answer", () => {
  it("is reported in one line naming REDIS_URL, however many reconnects fail", async () => {
    const { log, lines } = captureLog("info");
    const url = `redis://:s3cret-password@127.0.0.1:${await freePort()}`;
    const connections = [connectRedis(url, log), connectRedis(url, log)];
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const redis of connections) await closeRedis(redis);
    expect(lines).toHaveLength(1);
    const [line] = lines.map((text) => JSON.parse(text) as { msg: string; level: number });
    expect(line?.level).toBe(50);
    expect(line?.msg).toMatch(
      /^Redis at REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ does not answer/,
    );
    expect(line?.msg).toContain("start Redis there or fix REDIS_URL");
    expect(lines.join("\n")).not.toContain("s3cret-password");
  });

  it("is retried with a backoff that doubles up to 5 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(reconnectDelayMs)).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });
});
