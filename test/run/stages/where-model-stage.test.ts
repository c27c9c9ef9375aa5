import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { PersonaJob } from "../../../jobs/persona-job.js";
import type { RunContext } from "../../../src/run/stage-contract.js";
import { createWhereModelStage } from "../../../src/run/stages/where-model-stage.js";
import { forgetRegistryEntries, registryKeys } from "../../../src/train/adapter-registry.js";
import { DEFAULT_WHERE_FIT_COMMAND } from "../../../src/where/fit-where-model.js";
import {
  getWhereRecord,
  linkWhereModelToAdapter,
  recordWhereModel,
} from "../../../src/where/where-registry.js";
import { seedRepository } from "../../../support/history/seed-repository.js";
import { type HistoryHarness, startHistoryHarness } from "../../history/support/history-harness.js";

let harness: HistoryHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function contextFor(
  h: HistoryHarness,
  runId: string,
  session: RunContext["session"],
  afterTraining = false,
) {
  const job = {
    installationId: 1,
    owner: h.subject.owner,
    repo: h.subject.repo,
    pullNumber: 1,
    headSha: "a".repeat(40),
    requesterLogin: "bob",
    requesterId: 2,
    reviewerLogin: h.subject.reviewerLogin,
    forceReload: false,
    statusCommentId: 3,
    ...(afterTraining ? { afterTraining: true as const } : {}),
  } satisfies PersonaJob;
  return {
    runId,
    job,
    redis: h.redis,
    log: pino({ level: "silent" }),
    session,
    status: { show: async () => undefined, progress: async () => undefined },
    octokit: {},
  } as unknown as RunContext;
}

async function collected() {
  harness = await startHistoryHarness(
    seedRepository({
      owner: "acme",
      name: "widgets",
      target: "alice",
      otherReviewers: 2,
      targetComments: 60,
      targetPulls: 20,
      totalComments: 80,
      otherPulls: 0,
    }),
  );
  const history = await harness.collect({ config: { NEGATIVES_MAX_PRS: 0 } });
  return { h: harness, history };
}

const stageWith = (h: HistoryHarness, fitCommand: readonly string[] = DEFAULT_WHERE_FIT_COMMAND) =>
  createWhereModelStage({
    keyPrefix: h.keyPrefix,
    appBotLogin: "tech-lead-bot[bot]",
    fitCommand,
    historyTtlSeconds: 3600,
  });

describe("the where-model stage", () => {
  it("fits the where-model from the run's history, records it beside the adapters, and reuses it for the same collection", async () => {
    const { h, history } = await collected();
    const session: RunContext["session"] = { history };
    expect(await stageWith(h).run(contextFor(h, "run-1", session))).toEqual({ kind: "done" });
    expect(session.where && "model" in session.where).toBe(true);
    const record = await getWhereRecord(h);
    expect(record).toMatchObject({
      version: 0,
      provenance: "run-1",
      historyCollectedAt: history.stats.collectedAt,
    });
    expect(record?.model.summary?.totals.hunks).toBeGreaterThan(0);
    expect(record?.model.summary?.totals.comments).toBeGreaterThan(0);

    // Another run on the same collection reuses it: a fit that cannot run is never started.
    const again: RunContext["session"] = { history };
    await stageWith(h, ["false"]).run(contextFor(h, "run-2", again));
    expect(again.where).toEqual({ model: record?.model });
    expect((await getWhereRecord(h))?.provenance).toBe("run-1");
  }, 120_000);

  it("lets the run go on when the fit fails, and says why", async () => {
    const { h, history } = await collected();
    const session: RunContext["session"] = { history };
    expect(await stageWith(h, ["false"]).run(contextFor(h, "run-1", session))).toEqual({
      kind: "done",
    });
    expect(session.where).toMatchObject({
      problem: expect.stringMatching(/^the where-model could not be fitted \(the where fit failed/),
    });
    expect(await getWhereRecord(h)).toBeUndefined();
  });

  it("takes the current model on a follow-up run after training, without fitting", async () => {
    const { h } = await collected();
    const session: RunContext["session"] = {};
    await stageWith(h, ["false"]).run(contextFor(h, "follow-up", session, true));
    expect(session.where).toEqual({ problem: "no where-model for this reviewer yet" });
  });
});

describe("the where-model in the registry", () => {
  it("carries the adapter version trained from the same history, and forget deletes it", async () => {
    const { h, history } = await collected();
    await stageWith(h).run(contextFor(h, "run-1", { history }));
    const subject = h.subject;
    const registry = { redis: h.redis, keyPrefix: h.keyPrefix, subject };
    await linkWhereModelToAdapter({
      ...registry,
      version: 4,
      historyCollectedAt: "another collection",
    });
    expect((await getWhereRecord(registry))?.version).toBe(0);
    await linkWhereModelToAdapter({
      ...registry,
      version: 4,
      historyCollectedAt: history.stats.collectedAt,
    });
    expect((await getWhereRecord(registry))?.version).toBe(4);

    const record = await getWhereRecord(registry);
    await forgetRegistryEntries({ ...registry, now: Date.now() });
    expect(await h.redis.exists(registryKeys(registry).where)).toBe(0);
    // A run that started before forget cannot bring the model back.
    if (!record) throw new Error("no record");
    expect(await recordWhereModel({ ...registry, record, startedAt: Date.now() - 60_000 })).toBe(
      false,
    );
    expect(await getWhereRecord(registry)).toBeUndefined();
    expect(await recordWhereModel({ ...registry, record, startedAt: Date.now() + 1 })).toBe(true);
  }, 120_000);
});
