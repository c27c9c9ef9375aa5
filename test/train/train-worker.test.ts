import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Job } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parkRun } from "../../src/run/park-run.js";
import { getCurrentAdapter, listAdapterHistory } from "../../src/train/adapter-registry.js";
import { addWaiter, getOutcome } from "../../src/train/training-waiters.js";
import { eventually } from "../../support/webhooks.js";
import { BASE_MODEL, fakeTrainer, SUBJECT, startTrainKit, type TrainKit } from "./train-kit.js";

let kit: TrainKit;

beforeEach(async () => {
  kit = await startTrainKit();
});

afterEach(async () => {
  await kit.close();
});

const PERSONA_JOB = {
  installationId: 4242,
  owner: "Acme",
  repo: "widgets",
  pullNumber: 7,
  headSha: "1111111111111111111111111111111111111111",
  requesterLogin: "octo-dev",
  requesterId: 1,
  reviewerLogin: "Alice",
  forceReload: false,
  statusCommentId: 99,
};
const RUN_ID = "persona/acme/widgets/7/1111111111111111111111111111111111111111/alice/reuse";

/** A parked run waiting for `trainJobId`, as the stage leaves it. */
async function parkWaitingRun(trainJobId: string, version: number) {
  await parkRun({ redis: kit.redis, keyPrefix: kit.prefix, runId: RUN_ID, job: PERSONA_JOB });
  await addWaiter({
    redis: kit.redis,
    keyPrefix: kit.prefix,
    runId: RUN_ID,
    job: PERSONA_JOB,
    wait: { trainJobId, adapterName: "x-v1", version, queuedAt: Date.now(), pickupTimedOut: false },
  });
}

async function finished(id: string): Promise<Job> {
  return eventually(async () => {
    const job = await kit.trainQueue.getJob(id);
    const state = await job?.getState();
    expect(["completed", "failed"]).toContain(state);
    return job as Job;
  }, 20_000);
}

describe("a successful training job", () => {
  it("turns progress lines into job progress, publishes a versioned adapter, records it and resumes the waiting run", async () => {
    const argsLog = join(kit.scratchDir, "args.json");
    kit.startTrainer({
      ...fakeTrainer("success"),
      TRAINER_EXTRA_ARGS: "--batch-size 4 --set gradient_accumulation_steps=4",
    });
    process.env.FAKE_TRAINER_ARGS_LOG = argsLog;
    const job = await kit.queueTraining({ examples: 12 });
    await parkWaitingRun(job.id, job.version);

    expect(await (await finished(job.id)).getState()).toBe("completed");
    delete process.env.FAKE_TRAINER_ARGS_LOG;

    // Progress: started, then one entry per trainer progress line, in order.
    await eventually(() =>
      expect(kit.progressEvents).toEqual([
        { phase: "started", attempt: 1 },
        ...[1, 2, 3].map((step) => ({
          phase: "training",
          step,
          totalSteps: 3,
          loss: expect.closeTo(2.5 - step * 0.1, 5),
          tokensPerSecond: 5120.5,
          etaSeconds: (3 - step) * 2,
        })),
      ]),
    );

    // Published under ADAPTERS_DIR/<owner>-<repo>-<login>-v1, nothing else left there.
    expect(job.adapterName).toBe("acme-widgets-alice-v1");
    expect(await readdir(kit.adaptersDir)).toEqual(["acme-widgets-alice-v1"]);
    const config = JSON.parse(
      await readFile(join(kit.adaptersDir, job.adapterName, "adapter_config.json"), "utf8"),
    );
    expect(config.base_model_name_or_path).toBe(BASE_MODEL);

    // The trainer got the dataset, the base model and the extra arguments.
    const args = JSON.parse(await readFile(argsLog, "utf8")) as string[];
    expect(args.slice(args.indexOf("--output-dir"), args.indexOf("--output-dir") + 2)).toEqual([
      "--output-dir",
      join(kit.adaptersDir, "acme-widgets-alice-v1"),
    ]);
    expect(args).toEqual(expect.arrayContaining(["--base-model-dir", "/models/tiny"]));
    expect(args).toEqual(expect.arrayContaining(["--profile", "auto"]));
    expect(args.slice(-4)).toEqual(["--batch-size", "4", "--set", "gradient_accumulation_steps=4"]);
    // The scraped dataset was written to a private temp file and deleted afterwards.
    const datasetPath = args[args.indexOf("--dataset") + 1] as string;
    await expect(readFile(datasetPath)).rejects.toThrow(/ENOENT/);

    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(current).toMatchObject({
      adapterName: "acme-widgets-alice-v1",
      version: 1,
      baseModel: BASE_MODEL,
      examples: 12,
      steps: 3,
      systemTurn: "full",
    });
    expect(
      await getOutcome({ redis: kit.redis, keyPrefix: kit.prefix, trainJobId: job.id }),
    ).toEqual({ kind: "published", adapterName: "acme-widgets-alice-v1", version: 1 });
    // The parked run was queued again under its own id.
    const resumed = await kit.personaQueue.getJob(RUN_ID);
    expect(resumed?.data).toEqual(PERSONA_JOB);
  });

  it("publishes each version under a new name and never touches the previous one", async () => {
    kit.startTrainer(fakeTrainer("success"));
    const first = await kit.queueTraining();
    await finished(first.id);
    const v1Config = await readFile(
      join(kit.adaptersDir, first.adapterName, "adapter_config.json"),
    );
    const second = await kit.queueTraining();
    expect(await (await finished(second.id)).getState()).toBe("completed");

    expect((await readdir(kit.adaptersDir)).sort()).toEqual([
      "acme-widgets-alice-v1",
      "acme-widgets-alice-v2",
    ]);
    expect(await readFile(join(kit.adaptersDir, first.adapterName, "adapter_config.json"))).toEqual(
      v1Config,
    );
    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(current?.adapterName).toBe("acme-widgets-alice-v2");
  });

  it("never reuses a name: a folder of that name with other weights (a lost registry) moves it to the next version", async () => {
    // What an earlier deployment left behind after its Redis was flushed: acme-widgets-alice-v1,
    // published for another job (no provenance of this one). vLLM may still serve it as v1.
    const stale = join(kit.adaptersDir, "acme-widgets-alice-v1");
    await mkdir(stale, { recursive: true });
    const staleConfig = JSON.stringify({
      peft_type: "LORA",
      r: 8,
      base_model_name_or_path: BASE_MODEL,
    });
    await writeFile(join(stale, "adapter_config.json"), staleConfig);
    await writeFile(join(stale, "adapter_model.safetensors"), "old weights");
    kit.startTrainer(fakeTrainer("success"));
    const job = await kit.queueTraining();
    expect(job.adapterName).toBe("acme-widgets-alice-v1");
    expect(await (await finished(job.id)).getState()).toBe("completed");

    expect(await readFile(join(stale, "adapter_config.json"), "utf8")).toBe(staleConfig);
    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(current).toMatchObject({ adapterName: "acme-widgets-alice-v2", version: 2 });
    expect(
      await getOutcome({ redis: kit.redis, keyPrefix: kit.prefix, trainJobId: job.id }),
    ).toEqual({ kind: "published", adapterName: "acme-widgets-alice-v2", version: 2 });
    // The new folder says which job asked for it, so a retry adopts it rather than skipping on.
    expect(
      await readFile(
        join(kit.adaptersDir, "acme-widgets-alice-v2", "tech-lead-bot-provenance.txt"),
        "utf8",
      ),
    ).toMatch(new RegExp(`^${job.id.replace(/[/]/g, "\\/")}@\\d+\\n$`));
  });

  it("passes TRAINING_PROFILE to the trainer and carries the CPU budget and epochs into the job progress", async () => {
    kit.startTrainer({ ...fakeTrainer("success"), TRAINING_PROFILE: "smollm2-135m" });
    const job = await kit.queueTraining();
    expect(await (await finished(job.id)).getState()).toBe("completed");
    await eventually(() =>
      expect(kit.progressEvents).toContainEqual(
        expect.objectContaining({
          phase: "training",
          step: 3,
          budget: { tokens: 192_000, minutes: 20 },
          epochs: { reached: 0.75, planned: 0.75 },
        }),
      ),
    );
    // The profile trains on the system turn's first paragraph: the bot must send an adapter no more.
    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(current?.systemTurn).toBe("first_paragraph");
    expect(current?.epochs).toBe(0.75);
  });
});

/** BullMQ marks a job failed a moment before it stores the attempt count. */
const attemptsMadeBecomes = (id: string, count: number) =>
  eventually(async () => expect((await kit.trainQueue.getJob(id))?.attemptsMade).toBe(count));

const outcome = (id: string) =>
  getOutcome({ redis: kit.redis, keyPrefix: kit.prefix, trainJobId: id });

describe("a failing trainer", () => {
  const noAdapter = async () => {
    expect(await readdir(kit.adaptersDir)).toEqual([]);
    expect(
      await getCurrentAdapter({ redis: kit.redis, keyPrefix: kit.prefix, subject: SUBJECT }),
    ).toBeUndefined();
  };

  it.each([
    [
      "bad-input",
      /refused its input: dataset has 1 example.*will not be retried|will not be retried.*dataset has 1 example/,
    ],
    ["oom", /out of memory.*--batch-size/],
  ])(
    "does not retry a permanent failure (%s) and tells the waiting run why",
    async (mode, reason) => {
      kit.startTrainer(fakeTrainer(mode));
      const job = await kit.queueTraining({ attempts: 3 });
      await parkWaitingRun(job.id, job.version);
      const failed = await finished(job.id);
      expect(await failed.getState()).toBe("failed");
      await attemptsMadeBecomes(job.id, 1);
      const result = await outcome(job.id);
      expect(result?.kind).toBe("failed");
      expect(result?.kind === "failed" && result.message).toMatch(/will not be retried/);
      expect(result?.kind === "failed" && result.message).toMatch(reason);
      expect(await kit.personaQueue.getJob(RUN_ID)).toBeDefined();
      await noAdapter();
    },
  );

  it.each([
    ["garbage", /exited without reporting a finished adapter/],
    ["killed", /killed by SIGKILL/],
    ["crash", /failed with exit code 1/],
  ])(
    "retries a transient failure (%s), reports each retry, then gives up with the reason",
    async (mode, reason) => {
      kit.startTrainer(fakeTrainer(mode));
      const job = await kit.queueTraining({ attempts: 2 });
      await parkWaitingRun(job.id, job.version);
      const failed = await finished(job.id);
      expect(await failed.getState()).toBe("failed");
      await attemptsMadeBecomes(job.id, 2);
      expect(kit.progressEvents).toContainEqual({
        phase: "retrying",
        attempt: 1,
        maxAttempts: 2,
        message: expect.stringMatching(reason),
      });
      const result = await outcome(job.id);
      expect(result?.kind === "failed" && result.message).toMatch(/failed 2 times; last error/);
      expect(result?.kind === "failed" && result.message).toMatch(reason);
      expect(await kit.personaQueue.getJob(RUN_ID)).toBeDefined();
      await noAdapter();
      if (mode === "garbage") {
        expect(kit.logLines.join("\n")).toContain("Loading checkpoint shards: 100%");
      }
      if (mode === "crash") {
        // The stderr tail reaches the logs, not the PR.
        expect(kit.logLines.join("\n")).toContain("ImportError: libcudart.so.12");
        expect(result?.kind === "failed" && result.message).not.toContain("libcudart");
      }
    },
  );

  it("succeeds on the retry after a transient failure", async () => {
    const state = join(kit.scratchDir, "state");
    kit.startTrainer({ ...fakeTrainer("fail-once") });
    process.env.FAKE_TRAINER_STATE = state;
    const job = await kit.queueTraining({ attempts: 3 });
    const done = await finished(job.id);
    delete process.env.FAKE_TRAINER_STATE;
    expect(await done.getState()).toBe("completed");
    await attemptsMadeBecomes(job.id, 2);
    expect(kit.progressEvents).toContainEqual(
      expect.objectContaining({
        phase: "retrying",
        message: expect.stringMatching(/illegal memory access/),
      }),
    );
    expect(await readdir(kit.adaptersDir)).toEqual(["acme-widgets-alice-v1"]);
  });

  it("fails permanently when the collected history expired before training", async () => {
    kit.startTrainer(fakeTrainer("success"));
    const job = await kit.queueTraining();
    await kit.redis.del(job.datasetKey);
    await finished(job.id);
    await attemptsMadeBecomes(job.id, 1);
    const result = await outcome(job.id);
    expect(result?.kind === "failed" && result.message).toMatch(/expired.*--force-reload/);
    await noAdapter();
  });
});

describe("worker shutdown", () => {
  it("stops the trainer with SIGTERM and hands the job back without spending an attempt", async () => {
    const pidFile = join(kit.scratchDir, "pid");
    process.env.FAKE_TRAINER_PID_FILE = pidFile;
    process.env.FAKE_TRAINER_STEP_MS = "50";
    const trainer = kit.startTrainer(fakeTrainer("slow"));
    const job = await kit.queueTraining();
    await eventually(() =>
      expect(kit.progressEvents).toContainEqual(
        expect.objectContaining({ phase: "training", step: 2 }),
      ),
    );
    delete process.env.FAKE_TRAINER_PID_FILE;
    delete process.env.FAKE_TRAINER_STEP_MS;
    const pid = Number(await readFile(pidFile, "utf8"));

    await trainer.close();

    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    const handedBack = await kit.trainQueue.getJob(job.id);
    expect(await handedBack?.getState()).toBe("waiting");
    expect(handedBack?.attemptsMade).toBe(0);
    expect(await readdir(kit.adaptersDir)).toEqual([]);
    expect(await outcome(job.id)).toBeUndefined();
  });
});

describe("the evaluation after training", () => {
  it("records the holdout scores and their quote with the adapter", async () => {
    const evaluated: string[] = [];
    kit.startTrainer(fakeTrainer("success"), {
      evaluate: async ({ adapterName }) => {
        evaluated.push(adapterName);
        return {
          scores: {
            "adapter.comment_f1": 61,
            "adapter.embed_sim": 0.71,
            "few-shot.embed_sim": 0.58,
          },
          summary: "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot",
        };
      },
    });
    const job = await kit.queueTraining();
    expect(await (await finished(job.id)).getState()).toBe("completed");
    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(evaluated).toEqual([job.adapterName]);
    expect(current?.scores).toEqual({
      "adapter.comment_f1": 61,
      "adapter.embed_sim": 0.71,
      "few-shot.embed_sim": 0.58,
    });
    expect(current?.evaluation).toBe(
      "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot",
    );
  });

  it("resumes the waiting run as soon as the adapter is published, and fills the figures in after the evaluation", async () => {
    // A stand-in evaluation that blocks until the test releases it, as a 9-minute CPU one would.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    kit.startTrainer(fakeTrainer("success"), {
      evaluate: async () => {
        started = true;
        await released;
        return {
          scores: { "adapter.comment_f1": 61, "adapter.embed_sim": 0.71 },
          summary: "holdout: comment-where F1 0.61, similarity 0.71",
        };
      },
    });
    const job = await kit.queueTraining();
    await parkWaitingRun(job.id, job.version);
    const registry = { redis: kit.redis, keyPrefix: kit.prefix, subject: SUBJECT };

    // Published, recorded and the run resumed while the evaluation has not ended.
    const resumed = await eventually(async () => {
      const run = await kit.personaQueue.getJob(RUN_ID);
      expect(run).toBeDefined();
      return run;
    }, 20_000);
    expect(resumed?.data).toMatchObject({ reviewerLogin: "Alice", pullNumber: 7 });
    await eventually(() => expect(started).toBe(true));
    expect(await getOutcome({ ...registry, trainJobId: job.id })).toEqual({
      kind: "published",
      adapterName: job.adapterName,
      version: job.version,
    });
    const before = await getCurrentAdapter(registry);
    expect(before).toMatchObject({ adapterName: job.adapterName, evaluationPending: true });
    expect(before?.scores).toEqual({});
    expect(before?.evaluation).toBeUndefined();
    expect(await (await kit.trainQueue.getJob(job.id))?.getState()).toBe("active");

    release();
    expect(await (await finished(job.id)).getState()).toBe("completed");
    const after = await getCurrentAdapter(registry);
    expect(after?.evaluationPending).toBeUndefined();
    expect(after?.scores).toEqual({ "adapter.comment_f1": 61, "adapter.embed_sim": 0.71 });
    expect(after?.evaluation).toBe("holdout: comment-where F1 0.61, similarity 0.71");
    // The dashboard's version list holds the same figures.
    expect((await listAdapterHistory(registry))[0]).toEqual(after);
    await eventually(() =>
      expect(kit.progressEvents.at(-1)).toEqual({
        phase: "evaluated",
        adapterName: job.adapterName,
        version: job.version,
        summary: "holdout: comment-where F1 0.61, similarity 0.71",
      }),
    );
  });

  it("records with the adapter which feedback rule version and how many feedback examples its dataset had", async () => {
    kit.startTrainer(fakeTrainer("success"));
    const feedbackSignal = { version: 1, positives: 4, negatives: 7 };
    const job = await kit.queueTraining({ feedbackSignal });
    expect(await (await finished(job.id)).getState()).toBe("completed");
    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(current?.feedbackSignal).toEqual(feedbackSignal);
  });

  it("still records the adapter when the evaluation fails", async () => {
    kit.startTrainer(fakeTrainer("success"), {
      evaluate: async () => {
        throw new Error("vLLM is not reachable at LLM_BASE_URL");
      },
    });
    const job = await kit.queueTraining();
    expect(await (await finished(job.id)).getState()).toBe("completed");
    const current = await getCurrentAdapter({
      redis: kit.redis,
      keyPrefix: kit.prefix,
      subject: SUBJECT,
    });
    expect(current?.version).toBe(job.version);
    expect(current?.scores).toEqual({});
    expect(current?.evaluationPending).toBeUndefined();
    expect(kit.logLines.join("\n")).toContain("holdout evaluation failed");
    await eventually(() =>
      expect(kit.progressEvents.at(-1)).toEqual({
        phase: "evaluated",
        adapterName: job.adapterName,
        version: job.version,
        problem: "the evaluation failed (the training worker's log says why)",
      }),
    );
  });
});
