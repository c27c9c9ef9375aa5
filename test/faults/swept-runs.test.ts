import { afterEach, expect, it } from "vitest";
import { createRunTickets } from "../../src/run/run-tickets.js";
import { eventually } from "../../support/webhooks.js";
import { type FaultKit, startFaultKit, waitForFinalStatus } from "./support/fault-kit.js";

/**
 * Fault matrix, operator side, the removals no `removed` event reports: bulk removals
 * (`queue.drain`, `queue.clean`) and removals made while no persona worker ran. The sweep finds
 * their runs by their tickets and ends them visibly. PERSONA_LOCK_MS=1000 makes the sweep's
 * guard age 2 s and its interval 4 s.
 */
const FAST_SWEEP = { PERSONA_LOCK_MS: "1000" };
const REMOVED = /removed from the queue by an operator/;
let kit: FaultKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

async function queuedRunId(target: FaultKit, states: ("waiting" | "delayed")[] = ["waiting"]) {
  return eventually(async () => {
    const [job] = await target.harness.personaQueue.getJobs(states);
    expect(job?.id).toBeDefined();
    return job?.id ?? "";
  }, 15_000);
}

const removalLogged = (target: FaultKit) =>
  target.harness.logLines.some((line) => line.includes("run removed from the queue"));

it("a waiting run removed by queue.drain() ends visibly: final status, a log line", async () => {
  kit = await startFaultKit({ env: FAST_SWEEP });
  // A worker that takes no runs, so the run waits; it still sweeps.
  kit.startWorker({ autorun: false });
  await kit.mention();
  await queuedRunId(kit);
  await kit.harness.personaQueue.drain();

  const status = await waitForFinalStatus(kit, 15_000);
  expect(status).toMatch(/❌/);
  expect(status).toMatch(REMOVED);
  expect(removalLogged(kit)).toBe(true);
  expect(kit.pull.reviews).toHaveLength(0);
  await kit.expectOneFinalStatus();
}, 60_000);

it("a run waiting to retry, removed by queue.clean(…, 'delayed'), releases the history it held", async () => {
  kit = await startFaultKit({ env: FAST_SWEEP });
  let attempts = 0;
  kit.holdRunsIn.gate = async () => {
    attempts++;
    throw new Error("the stand-in history stage fails once");
  };
  kit.startWorker();
  await kit.mention();
  // The first attempt held the history, failed, and waits out its 30 s backoff.
  await queuedRunId(kit, ["delayed"]);
  expect(attempts).toBe(1);
  expect(await kit.historyLeft()).not.toEqual([]);
  expect(await kit.harness.personaQueue.clean(0, 100, "delayed")).toHaveLength(1);

  const status = await waitForFinalStatus(kit, 15_000);
  expect(status).toMatch(REMOVED);
  expect(removalLogged(kit)).toBe(true);
  await kit.expectOneFinalStatus();
}, 60_000);

it("a run removed while no persona worker ran is ended when one starts", async () => {
  kit = await startFaultKit({ env: FAST_SWEEP });
  await kit.mention();
  const runId = await queuedRunId(kit);
  expect(await kit.harness.personaQueue.remove(runId)).toBe(1);
  // Older than the guard age by the time a worker starts.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  kit.startWorker();

  // Sooner than the sweep's interval: the sweep at start found it.
  const status = await waitForFinalStatus(kit, 3_000);
  expect(status).toMatch(REMOVED);
  expect(removalLogged(kit)).toBe(true);
  expect(kit.pull.reviews).toHaveLength(0);
  await kit.expectOneFinalStatus();
}, 60_000);

it("a ticket younger than the guard age whose job is not added yet is not swept", async () => {
  kit = await startFaultKit({ env: FAST_SWEEP });
  await kit.mention();
  const runId = await queuedRunId(kit);
  const job = await kit.harness.personaQueue.getJob(runId);
  // Back to the moment between queuePersonaRun's two writes: a fresh ticket, no job yet.
  await job?.remove();
  const tickets = createRunTickets({
    redis: kit.harness.redis,
    keyPrefix: kit.harness.config.QUEUE_PREFIX,
  });
  const ticket = await tickets.take(runId);
  expect(ticket).not.toBeNull();
  if (ticket) await tickets.save(runId, ticket);
  kit.startWorker();
  await new Promise((resolve) => setTimeout(resolve, 500));
  // The second write lands; the run goes on to its review.
  await kit.harness.personaQueue.add("persona-run", job?.data, { jobId: runId });

  const status = await waitForFinalStatus(kit, 20_000);
  expect(status).toMatch(/✅/);
  expect(removalLogged(kit)).toBe(false);
  expect(kit.pull.reviews).toHaveLength(1);
  await kit.expectOneFinalStatus();
}, 60_000);
