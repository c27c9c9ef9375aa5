import { afterEach, expect, it } from "vitest";
import { eventually } from "../../support/webhooks.js";
import { type FaultKit, startFaultKit, waitForFinalStatus } from "./support/fault-kit.js";

/**
 * Fault matrix, worker side: a worker dies mid-run (its lock stops being renewed and its Redis
 * connections close, as after kill -9). Locks are short here so the stalled checks run in
 * seconds; production keeps BullMQ's 30 s.
 */
const SHORT_LOCKS = { lockDuration: 1_500, stalledInterval: 500, maxStalledCount: 1 };
let kit: FaultKit | undefined;
let wake: () => void = () => {};
afterEach(async () => {
  wake();
  await kit?.close();
  kit = undefined;
});

/** Holds every run inside its history stage until `wake`, counting arrivals. */
function holdRuns(target: FaultKit): () => number {
  let arrivals = 0;
  target.holdRunsIn.gate = () => {
    arrivals++;
    return new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
  return () => arrivals;
}

it("row 2: a run whose worker dies twice ends visibly: final status, history released, a log line", async () => {
  kit = await startFaultKit({});
  const arrivals = holdRuns(kit);
  const first = kit.startWorker(SHORT_LOCKS);
  await kit.mention();
  await eventually(() => expect(arrivals()).toBe(1), 15_000);
  await first.close(true);

  const second = kit.startWorker(SHORT_LOCKS);
  // The restarted worker says at once that the run resumes (not after the lock expires).
  await eventually(() => {
    expect(kit?.statusEdits().at(-1)).toMatch(/resumes/);
  }, 5_000);
  await eventually(() => expect(arrivals()).toBe(2), 15_000);
  await second.close(true);

  kit.startWorker(SHORT_LOCKS);
  const status = await waitForFinalStatus(kit, 20_000);
  expect(status).toMatch(/❌/);
  expect(status).toMatch(/stopped twice/);
  expect(kit.harness.logLines.some((line) => line.includes("run failed for good"))).toBe(true);
  expect(kit.pull.reviews).toHaveLength(0);
  await kit.expectOneFinalStatus();
}, 60_000);

it("holds: a run whose worker dies once resumes and posts one review", async () => {
  kit = await startFaultKit({});
  const arrivals = holdRuns(kit);
  const first = kit.startWorker(SHORT_LOCKS);
  await kit.mention();
  await eventually(() => expect(arrivals()).toBe(1), 15_000);
  await first.close(true);
  kit.holdRunsIn.gate = async () => {};
  kit.startWorker(SHORT_LOCKS);
  const status = await waitForFinalStatus(kit, 20_000);
  expect(status).toMatch(/✅/);
  expect(kit.pull.reviews).toHaveLength(1);
  await kit.expectOneFinalStatus();
}, 60_000);
