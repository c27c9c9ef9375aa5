import { afterEach, expect, it } from "vitest";
import { eventually } from "../../support/webhooks.js";
import { createPrivateRedis, type PrivateRedis } from "../support/private-redis.js";
import { type FaultKit, startFaultKit, waitForFinalStatus } from "./support/fault-kit.js";

/** Fault matrix, Redis side: Redis shuts down and comes back (AOF) while a run is under way. */
let kit: FaultKit | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await kit?.close();
  await redis?.remove();
  kit = undefined;
});

it("holds: Redis restarting in the middle of a run loses nothing and duplicates nothing", async () => {
  redis = await createPrivateRedis();
  await redis.start();
  kit = await startFaultKit({ redisUrl: redis.url });
  let arrivals = 0;
  let release: () => void = () => {};
  kit.holdRunsIn.gate = () => {
    arrivals++;
    return new Promise<void>((resolve) => {
      release = resolve;
    });
  };
  kit.startWorker();
  await kit.mention();
  await eventually(() => expect(arrivals).toBe(1), 15_000);
  await redis.stop();
  await redis.start();
  release();
  const status = await waitForFinalStatus(kit, 30_000);
  expect(status).toMatch(/✅/);
  expect(kit.pull.reviews).toHaveLength(1);
  await kit.expectOneFinalStatus();
}, 60_000);
