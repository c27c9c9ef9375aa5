import { afterEach, expect, it } from "vitest";
import { eventually } from "../../support/webhooks.js";
import { type FaultKit, startFaultKit, waitForFinalStatus } from "./support/fault-kit.js";

/**
 * Fault matrix, operator side: a persona job removed from the queue (the queue board's Remove,
 * `queue.remove`, `obliterate`) still ends its run visibly: a final status that says an operator
 * removed it, the history released, a log line. Locks are short so a lost lock shows in seconds.
 */
const SHORT_LOCKS = { lockDuration: 1_500, stalledInterval: 500, maxStalledCount: 1 };
const REMOVED = /removed from the queue/;
let kit: FaultKit | undefined;
let wake: () => void = () => {};
afterEach(async () => {
  wake();
  await kit?.close();
  kit = undefined;
});

async function queuedRunId(target: FaultKit): Promise<string> {
  return eventually(async () => {
    const [job] = await target.harness.personaQueue.getJobs(["waiting", "active"]);
    expect(job?.id).toBeDefined();
    return job?.id ?? "";
  }, 15_000);
}

it("a waiting run removed from the queue ends visibly: final status, a log line", async () => {
  kit = await startFaultKit({});
  // A worker that takes no runs (all busy), so the run waits; it still watches the queue.
  kit.startWorker({ ...SHORT_LOCKS, autorun: false });
  await kit.mention();
  const runId = await queuedRunId(kit);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await kit.harness.personaQueue.remove(runId)).toBe(1);

  const status = await waitForFinalStatus(kit, 10_000);
  expect(status).toMatch(/❌/);
  expect(status).toMatch(REMOVED);
  expect(kit.harness.logLines.some((line) => line.includes("run removed from the queue"))).toBe(
    true,
  );
  expect(kit.pull.reviews).toHaveLength(0);
  await kit.expectOneFinalStatus();
}, 60_000);

it("a running run whose job is obliterated stops, posts no review, and ends visibly with its history released", async () => {
  kit = await startFaultKit({});
  let arrivals = 0;
  kit.holdRunsIn.gate = () => {
    arrivals++;
    return new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
  kit.startWorker(SHORT_LOCKS);
  await kit.mention();
  await eventually(() => expect(arrivals).toBe(1), 15_000);
  expect(await kit.historyLeft()).not.toEqual([]);
  await kit.harness.personaQueue.obliterate({ force: true });

  const status = await waitForFinalStatus(kit, 10_000);
  expect(status).toMatch(/❌/);
  expect(status).toMatch(REMOVED);
  // The abandoned work finishes later but may no longer write to the PR.
  wake();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(kit.pull.reviews).toHaveLength(0);
  expect(kit.harness.logLines.some((line) => line.includes("run removed from the queue"))).toBe(
    true,
  );
  await kit.expectOneFinalStatus();
}, 60_000);
