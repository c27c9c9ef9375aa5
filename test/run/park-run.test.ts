import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { PersonaJob } from "../../jobs/persona-job.js";
import { parkRun, resumeRun } from "../../src/run/park-run.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";
import { eventually } from "../../support/webhooks.js";

const RUN_ID = "persona/acme/widgets/7/1111111111111111111111111111111111111111/alice/reuse";
const JOB: PersonaJob = {
  installationId: 1,
  owner: "acme",
  repo: "widgets",
  pullNumber: 7,
  headSha: "1111111111111111111111111111111111111111",
  requesterLogin: "octo-dev",
  requesterId: 1,
  reviewerLogin: "alice",
  forceReload: false,
  statusCommentId: 5,
};

let redis: Redis;
let prefix: string;
let queue: Queue;
let worker: Worker | undefined;

beforeEach(async () => {
  redis = await connectTestRedis();
  prefix = uniqueName("park");
  queue = new Queue("persona-runs", { connection: redis, prefix });
});

afterEach(async () => {
  await worker?.close();
  await queue.close();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

/** A worker whose first attempt parks the run and then holds on until released. */
function startParkingWorker() {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const attempts: number[] = [];
  worker = new Worker(
    "persona-runs",
    async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) {
        await parkRun({ redis, keyPrefix: prefix, runId: RUN_ID, job: JOB });
        await held;
      }
      return "done";
    },
    { connection: redis.duplicate(), prefix },
  );
  return { attempts, release };
}

it("resumes a run whose parking attempt is still finishing, instead of losing it", async () => {
  const { attempts, release } = startParkingWorker();
  await queue.add("persona-run", JOB, { jobId: RUN_ID });
  await eventually(async () => expect(await redis.exists(`${prefix}:parked:${RUN_ID}`)).toBe(1));

  // The sign-in arrives while the first attempt is still active.
  const resumed = resumeRun({ redis, keyPrefix: prefix, runId: RUN_ID, personaQueue: queue });
  setTimeout(release, 300);
  expect(await resumed).toBe(true);
  await eventually(() => expect(attempts).toHaveLength(2));
});

it("keeps the run parked when its attempt does not finish in time, so a later resume works", async () => {
  const { release } = startParkingWorker();
  await queue.add("persona-run", JOB, { jobId: RUN_ID });
  await eventually(async () => expect(await redis.exists(`${prefix}:parked:${RUN_ID}`)).toBe(1));

  await expect(
    resumeRun({
      redis,
      keyPrefix: prefix,
      runId: RUN_ID,
      personaQueue: queue,
      settleTimeoutMs: 200,
    }),
  ).rejects.toThrow(/still running/);
  expect(await redis.exists(`${prefix}:parked:${RUN_ID}`)).toBe(1);
  release();
});

it("queues a resumed run once however often it is resumed", async () => {
  await parkRun({ redis, keyPrefix: prefix, runId: RUN_ID, job: JOB });
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      resumeRun({ redis, keyPrefix: prefix, runId: RUN_ID, personaQueue: queue }),
    ),
  );
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
});
