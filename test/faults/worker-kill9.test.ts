import { afterEach, expect, it } from "vitest";
import { eventually } from "../../support/webhooks.js";
import { startWorkerProcessKit, type WorkerProcessKit } from "./support/worker-process-kit.js";

/**
 * Fault matrix, real processes: `kill -9` of the `npm run worker` process while the model is
 * answering a run's review. The lock is 3 s (PERSONA_LOCK_MS) so the stalled checks run in
 * seconds; production keeps BullMQ's 30 s.
 */
const WORKER_ENV = { PERSONA_LOCK_MS: "3000" };
const FINAL = /\n(✅|❌)/;
let kit: WorkerProcessKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

async function finalStatus(target: WorkerProcessKit, timeoutMs: number): Promise<string> {
  return eventually(() => {
    const body = target.pull.statusComments()[0]?.body ?? "";
    expect(body, target.workerOutput().slice(-4000)).toMatch(FINAL);
    return body;
  }, timeoutMs);
}

it("holds: a run whose worker gets kill -9 mid-review resumes, says so at once, and posts one review", async () => {
  kit = await startWorkerProcessKit({ workerEnv: WORKER_ENV });
  const model = kit.holdModel();
  const first = await kit.startWorker();
  await kit.mention();
  await eventually(
    () => expect(model.arrivals(), kit?.workerOutput().slice(-3000)).toBeGreaterThan(0),
    30_000,
  );
  await kit.killWorker(first);
  model.release();

  const editsBefore = kit.statusEdits().length;
  await kit.startWorker();
  // The restarted worker says the run resumes before the dead worker's lock has expired.
  await eventually(
    () => expect(kit?.statusEdits().slice(editsBefore).join("\n")).toMatch(/resumes/),
    3_000,
  );
  const status = await finalStatus(kit, 20_000);
  expect(status).toMatch(/✅/);
  expect(kit.pull.reviews).toHaveLength(1);
  expect(kit.pull.statusComments()).toHaveLength(1);
  await eventually(async () => expect(await kit?.heldKeys()).toEqual([]), 5_000);
  expect(kit.harness.github.violations).toEqual([]);
}, 120_000);

it("row 2: two kill -9 in one run end it visibly: final status, history released, a log line", async () => {
  kit = await startWorkerProcessKit({ workerEnv: WORKER_ENV });
  const model = kit.holdModel();
  const first = await kit.startWorker();
  await kit.mention();
  await eventually(
    () => expect(model.arrivals(), kit?.workerOutput().slice(-3000)).toBeGreaterThan(0),
    30_000,
  );
  await kit.killWorker(first);
  // Counted after the first worker is dead: its other concurrent hunk requests may still arrive
  // until then, and one of them must not pass for the second worker's.
  const arrivalsBefore = model.arrivals();

  const second = await kit.startWorker();
  await eventually(() => expect(model.arrivals()).toBeGreaterThan(arrivalsBefore), 30_000);
  await kit.killWorker(second);

  const third = await kit.startWorker();
  const status = await finalStatus(kit, 20_000);
  expect(status).toMatch(/❌/);
  expect(status).toMatch(/stopped twice/);
  await eventually(() => expect(third.output()).toMatch(/run failed for good/), 5_000);
  expect(kit.pull.reviews).toHaveLength(0);
  expect(kit.pull.statusComments()).toHaveLength(1);
  await eventually(async () => expect(await kit?.heldKeys()).toEqual([]), 5_000);
  model.release();
}, 120_000);
