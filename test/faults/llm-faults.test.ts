import { afterEach, expect, it } from "vitest";
import { GIVE_UP_AFTER_FAILURES } from "../../src/review/read-hunks-with-model.js";
import { lastUserMessage } from "../../support/llm/fake-openai-server.js";
import { eventually } from "../../support/webhooks.js";
import {
  commentingModel,
  type FaultKit,
  startFaultKit,
  waitForFinalStatus,
} from "./support/fault-kit.js";

/** Fault matrix, LLM side: 5xx answers and timeouts from the OpenAI-compatible server. */
let kit: FaultKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

const isHunk = (request: Parameters<typeof lastUserMessage>[0]) =>
  lastUserMessage(request).startsWith("File: ");

it("holds: half the model calls failing (5xx and timeouts) still makes one review that counts them", async () => {
  let calls = 0;
  kit = await startFaultKit({
    env: { LLM_TIMEOUT_MS: "1000" },
    llm: (request) => {
      if (!isHunk(request)) return commentingModel(request);
      calls++;
      if (calls % 4 === 1) return { status: 503, message: "stand-in overload" };
      if (calls % 4 === 3) return { hang: true };
      return commentingModel(request);
    },
  });
  kit.startWorker();
  await kit.mention();
  const status = await waitForFinalStatus(kit, 30_000);
  expect(status).toMatch(/✅/);
  expect(status).toMatch(/failed \(LLM server error 503/);
  expect(status).toMatch(/failed \(LLM timeout/);
  expect(kit.pull.reviews).toHaveLength(1);
  await kit.expectOneFinalStatus();
}, 45_000);

it("row 4: a model that always answers 500 stops the run early, once, with the cause", async () => {
  kit = await startFaultKit({
    env: { LLM_CONCURRENCY: "1" },
    llm: () => ({ status: 500, message: "stand-in crash" }),
  });
  kit.startWorker();
  await kit.mention();
  const status = await waitForFinalStatus(kit, 20_000);
  expect(status).toMatch(/❌/);
  expect(status).toMatch(/every call to the model failed \(LLM server error 500/);
  expect(kit.statusEdits().filter((body) => body.includes("retrying"))).toEqual([]);
  // The summary and the first hunks only: not every hunk of the PR, not three attempts.
  expect(kit.llm.requests.filter(isHunk).length).toBeLessThanOrEqual(GIVE_UP_AFTER_FAILURES);
  const failed = await eventually(async () => {
    const [job] = (await kit?.harness.personaQueue.getJobs(["failed"])) ?? [];
    expect(job).toBeDefined();
    return job;
  });
  expect(failed?.attemptsMade).toBe(1);
  expect(kit.pull.reviews).toHaveLength(0);
  await kit.expectOneFinalStatus();
}, 30_000);
