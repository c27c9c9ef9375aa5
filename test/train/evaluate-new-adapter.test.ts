import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateModels } from "../../src/eval/evaluate-models.js";
import { evaluateText } from "../../src/eval/evaluate-text.js";
import { loadEvalInputs } from "../../src/eval/load-eval-inputs.js";
import { createScorerRunner } from "../../src/eval/run-scorer.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import { createLlmClient } from "../../src/llm/create-llm-client.js";
import { ANSWER_REGEX, COMMENT_ONLY_REGEX } from "../../src/prompts/review-answer.js";
import { DEFAULT_COMMENT_SAMPLING } from "../../src/review/consensus-comment.js";
import { loadReviewPrompts } from "../../src/review/load-review-prompts.js";
import {
  createAdapterEvaluator,
  flattenScores,
  ZERO_SHOT_NOT_RUN_AFTER_TRAINING,
} from "../../src/train/evaluate-new-adapter.js";
import { captureLog } from "../../support/capture-log.js";
import {
  type ChatRequest,
  type FakeLlmAnswer,
  type FakeOpenAiServer,
  lastUserMessage,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import { connectTestRedis, deleteKeys, TEST_REDIS_URL, uniqueName } from "../../support/redis.js";
import {
  evalDatasetFor,
  hunksOfFixture,
  makeDatasetJsonl,
  REPO_FULL_NAME,
  SUBJECT,
} from "../eval/support/make-dataset.js";
import { ADAPTER_NAME, BASE_MODEL, goldAnswers } from "../eval/support/stand-in-models.js";

const TALLY_SCORER = `node ${fileURLToPath(new URL("../eval/support/tally-scorer.mjs", import.meta.url))}`;
const templates = await loadReviewPrompts();

type System = "adapter" | "few-shot" | "zero-shot";

function systemOf(request: ChatRequest): System {
  if (request.model === ADAPTER_NAME) return "adapter";
  return request.messages.length > 2 ? "few-shot" : "zero-shot";
}

/**
 * Three systems as a server with greedy, constrained decoding answers them. Under the review's
 * answer format each says its preferred answer: the adapter the reviewer's comment (quiet on some
 * commented hunks), few-shot and zero-shot a generic comment on some hunks, NO_COMMENT elsewhere.
 * Held to a comment (COMMENT_ONLY_REGEX), a system that preferred a comment writes the same one
 * (greedy decoding picks the same tokens once NO_COMMENT is out); one that preferred NO_COMMENT
 * writes another comment.
 */
function greedyStandIns(gold: Map<string, string>) {
  const preferred = (system: System, turn: string, answer: string): string => {
    if (system === "adapter") return turn.length % 3 === 0 ? "NO_COMMENT" : answer;
    if (system === "few-shot") {
      return turn.length % 2 === 0 ? "R1: Consider adding a test for this change." : "NO_COMMENT";
    }
    return turn.length % 4 === 0 ? "R1: Looks risky, please double-check." : "NO_COMMENT";
  };
  return (request: ChatRequest): FakeLlmAnswer => {
    const turn = lastUserMessage(request);
    const answer = gold.get(turn);
    if (answer === undefined) return { status: 400, message: "unknown hunk" };
    const system = systemOf(request);
    const said = preferred(system, turn, answer);
    const forced = request.structured_outputs?.regex === COMMENT_ONLY_REGEX;
    return {
      text: forced && said === "NO_COMMENT" ? `R1: (held to a comment) ${system} here.` : said,
      noCommentProbability: said === "NO_COMMENT" ? 0.8 : 0.2,
    };
  };
}

/** What the evaluation reads for the adapter from this file's Redis dataset. */
const adapterEvalInputs = (log: Parameters<typeof loadEvalInputs>[0]["log"]) =>
  loadEvalInputs({
    subject: SUBJECT,
    templates,
    adapterName: ADAPTER_NAME,
    redis: { url: TEST_REDIS_URL, keyPrefix },
    log,
  });
const testLlmClient = () =>
  createLlmClient({ baseUrl: llm.baseUrl, apiKey: "x", timeoutMs: 10_000, maxRetries: 0 });

let redis: Redis;
let llm: FakeOpenAiServer;
let gold: Map<string, string>;
const keyPrefix = uniqueName("evalnew");

beforeAll(async () => {
  redis = await connectTestRedis();
  const mixed = await hunksOfFixture("mixed-changes");
  const many = await hunksOfFixture("two-hundred-hunks");
  const holdout = await makeDatasetJsonl({
    hunks: [...mixed, ...many.slice(0, 5)],
    firstPullNumber: 100,
  });
  const train = await makeDatasetJsonl({ hunks: many.slice(50, 62), firstPullNumber: 1 });
  gold = goldAnswers(holdout);
  await createHistoryStore({ redis, keyPrefix, subject: SUBJECT, ttlSeconds: 600 }).saveDataset(
    evalDatasetFor({
      train,
      holdout,
      repo: REPO_FULL_NAME,
      reviewerLogin: SUBJECT.reviewerLogin,
      comments: 15,
      commentRatePerHunk: 0.5,
    }),
  );
  llm = await startFakeOpenAiServer(greedyStandIns(gold));
});

afterAll(async () => {
  await llm?.close();
  await deleteKeys(redis, `${keyPrefix}:*`);
  redis.disconnect();
});

describe("the evaluation after training (createAdapterEvaluator)", () => {
  it("asks the adapter and few-shot, not zero-shot, and asks 'what' only where a where answer let the hunk pass, with the figures of the full evaluation", async () => {
    const { log } = captureLog();
    const llmConfig = {
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: "x",
      LLM_TIMEOUT_MS: 10_000,
      LLM_MAX_RETRIES: 0,
      LLM_CONCURRENCY: 4,
    };
    const evaluate = createAdapterEvaluator({
      ...llmConfig,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: keyPrefix,
      BASE_MODEL_NAME: BASE_MODEL,
      SCORER_COMMAND: TALLY_SCORER,
    });
    const evaluation = await evaluate({ subject: SUBJECT, adapterName: ADAPTER_NAME, log });
    const afterTraining = llm.requests.splice(0);

    // The holdout and which of its hunks each system would let pass.
    const turns = [...gold.entries()];
    const holdout = turns.length;
    const commented = turns.filter(([, answer]) => answer !== "NO_COMMENT");
    expect(holdout).toBe(18);
    expect(commented.length).toBe(9);
    const quietOn = {
      adapter: commented.filter(([turn]) => turn.length % 3 === 0).length,
      "few-shot": commented.filter(([turn]) => turn.length % 2 !== 0).length,
      "zero-shot": commented.filter(([turn]) => turn.length % 4 !== 0).length,
    };
    // The stand-ins leave some commented hunks to ask again and take others from "where".
    for (const system of ["adapter", "few-shot"] as const) {
      expect(quietOn[system]).toBeGreaterThan(0);
      expect(quietOn[system]).toBeLessThan(commented.length);
    }

    // Requests: each hunk once per system for "where", then "what" only on the commented hunks
    // whose where answer was NO_COMMENT, with the same messages; zero-shot never asked.
    const count = (requests: ChatRequest[], system: System, regex: string) =>
      requests.filter(
        (request) => systemOf(request) === system && request.structured_outputs?.regex === regex,
      ).length;
    expect(count(afterTraining, "adapter", ANSWER_REGEX)).toBe(holdout);
    expect(count(afterTraining, "few-shot", ANSWER_REGEX)).toBe(holdout);
    expect(count(afterTraining, "adapter", COMMENT_ONLY_REGEX)).toBe(quietOn.adapter);
    expect(count(afterTraining, "few-shot", COMMENT_ONLY_REGEX)).toBe(quietOn["few-shot"]);
    expect(afterTraining.filter((request) => systemOf(request) === "zero-shot")).toEqual([]);
    const afterTrainingCount = 2 * holdout + quietOn.adapter + quietOn["few-shot"];
    expect(afterTraining).toHaveLength(afterTrainingCount);
    for (const request of afterTraining) {
      if (request.structured_outputs?.regex !== COMMENT_ONLY_REGEX) continue;
      const where = afterTraining.find(
        (other) =>
          other.structured_outputs?.regex === ANSWER_REGEX &&
          other.model === request.model &&
          JSON.stringify(other.messages) === JSON.stringify(request.messages),
      );
      expect(where, "a 'what' request repeats a 'where' request's messages").toBeDefined();
    }

    // The registry's figures and the quote: the adapter and few-shot, nothing of zero-shot.
    expect(evaluation.summary).toMatch(
      /^holdout: comment-where F1 \d\.\d\d, similarity \d\.\d\d vs \d\.\d\d few-shot/,
    );
    expect(Object.keys(evaluation.scores).some((key) => key.includes("zero-shot"))).toBe(false);
    expect(evaluation.scores["adapter.comment_f1"]).toBeGreaterThan(0);
    expect(evaluation.scores["what.few-shot.chrf"]).toBeDefined();

    // The full evaluation (`npm run eval`'s systems) on the same inputs: the same adapter and
    // few-shot figures, and zero-shot's columns, which the evaluation after training names as
    // not run, with why.
    const inputs = await adapterEvalInputs(log);
    const client = testLlmClient();
    const scorer = createScorerRunner({ command: TALLY_SCORER });
    const common = {
      ...inputs,
      reviewerLogin: SUBJECT.reviewerLogin,
      repoFullName: REPO_FULL_NAME,
      baseModel: BASE_MODEL,
      adapterName: ADAPTER_NAME,
      client,
      templates,
      concurrency: 4,
      scorer,
      log,
    };
    const full = await evaluateModels(common);
    const fullRequests = llm.requests.splice(0);
    expect(fullRequests).toHaveLength(
      3 * holdout + quietOn.adapter + quietOn["few-shot"] + quietOn["zero-shot"],
    );
    const fullFlat = flattenScores(full.scores);
    const withoutZeroShot = Object.fromEntries(
      Object.entries(fullFlat).filter(([key]) => !key.includes("zero-shot")),
    );
    expect(evaluation.scores).toEqual(withoutZeroShot);
    expect(Object.keys(fullFlat).some((key) => key.startsWith("zero-shot."))).toBe(true);

    const skipped = await evaluateModels({
      ...common,
      skipSystems: { "zero-shot": ZERO_SHOT_NOT_RUN_AFTER_TRAINING },
    });
    llm.requests.splice(0);
    const notRun = {
      id: "zero-shot",
      title: "zero-shot",
      model: null,
      ran: false,
      reason: ZERO_SHOT_NOT_RUN_AFTER_TRAINING,
    };
    expect(skipped.scores.systems.map((system) => system.id)).toEqual([
      "adapter",
      "few-shot",
      "zero-shot",
    ]);
    expect(skipped.scores.systems[2]).toEqual(notRun);
    expect(skipped.scores.text?.systems.find((system) => system.id === "zero-shot")).toEqual(
      notRun,
    );
    expect(skipped.scores.systems.slice(0, 2)).toEqual(full.scores.systems.slice(0, 2));

    // "What" as before, asking every system on every commented hunk: the same figures.
    const systems = [
      {
        id: "adapter",
        title: "adapter",
        model: {
          kind: "adapter" as const,
          name: ADAPTER_NAME,
          version: 1,
          trainedOn: 0,
          ...((inputs.adapterIndex ?? inputs.index)
            ? { precedents: inputs.adapterIndex ?? inputs.index }
            : {}),
        },
      },
      {
        id: "few-shot",
        title: `few-shot (${inputs.fewShotExamples.length} examples)`,
        model: {
          kind: "few-shot" as const,
          baseModel: BASE_MODEL,
          examples: inputs.fewShotExamples,
          ...(inputs.index ? { precedents: inputs.index } : {}),
        },
      },
    ];
    const workDir = await mkdtemp(join(tmpdir(), "eval-what-"));
    const askedEverywhere = await evaluateText({
      ...common,
      systems,
      index: inputs.index,
      workDir,
    }).finally(() => rm(workDir, { recursive: true, force: true }));
    const askedEverywhereRequests = llm.requests.splice(0);
    expect(askedEverywhereRequests).toHaveLength(2 * commented.length);
    const beforeCount = 2 * holdout + 2 * commented.length;
    for (const id of ["adapter", "few-shot"]) {
      const asked = askedEverywhere.systems.find((system) => system.id === id);
      const reused = skipped.scores.text?.systems.find((system) => system.id === id);
      if (!asked?.ran || !reused?.ran) throw new Error(`${id}: "what" not run`);
      expect(reused.scores).toEqual(asked.scores);
      expect(reused.failedHunks).toEqual({});
      expect(reused.fromWhereAnswers).toBe(commented.length - quietOn[id as "adapter"]);
    }
    process.stdout.write(
      `LLM requests of the evaluation after training: ${afterTrainingCount} (adapter and few-shot, "what" from the where answers); asking "what" on every commented hunk: ${beforeCount}; with zero-shot as well, as before: ${3 * (holdout + commented.length)}\n`,
    );
  }, 120_000);

  it("with LLM_COMMENT_SAMPLES, scores the comment the review would post (the consensus) beside the greedy answer alone", async () => {
    const { log } = captureLog();
    // Sampled, each system mostly says the reviewer's own comment; greedy, what it said above.
    const greedy = greedyStandIns(gold);
    llm.setHandler((request) => {
      if ((request.n ?? 1) === 1) return greedy(request);
      const answer = gold.get(lastUserMessage(request));
      if (answer === undefined || answer === "NO_COMMENT") return { status: 400, message: "?" };
      return { text: answer, samples: [answer, "R1: Something else entirely.", answer] };
    });
    try {
      const evaluation = await createAdapterEvaluator({
        LLM_BASE_URL: llm.baseUrl,
        LLM_API_KEY: "x",
        LLM_TIMEOUT_MS: 10_000,
        LLM_MAX_RETRIES: 0,
        LLM_CONCURRENCY: 4,
        LLM_COMMENT_SAMPLES: 4,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: keyPrefix,
        BASE_MODEL_NAME: BASE_MODEL,
        SCORER_COMMAND: TALLY_SCORER,
      })({ subject: SUBJECT, adapterName: ADAPTER_NAME, log });
      const requests = llm.requests.splice(0);
      const commented = [...gold.values()].filter((answer) => answer !== "NO_COMMENT").length;
      const sampled = requests.filter((request) => (request.n ?? 1) > 1);
      // One sampling request per commented hunk, for the adapter and for few-shot.
      expect(sampled).toHaveLength(2 * commented);
      for (const request of sampled) {
        expect(request).toMatchObject({ n: 4, structured_outputs: { regex: COMMENT_ONLY_REGEX } });
      }
      // embed_sim here is the share of exact matches (tally scorer): the consensus says the
      // reviewer's comment everywhere; the greedy answer alone only where the stand-in did.
      expect(evaluation.scores["what.adapter.embed_sim"]).toBe(1);
      expect(evaluation.scores["what.few-shot.embed_sim"]).toBe(1);
      expect(evaluation.scores["what.adapter-greedy.embed_sim"]).toBeLessThan(1);
      expect(evaluation.scores["what.few-shot-greedy.embed_sim"]).toBeLessThan(1);
    } finally {
      llm.setHandler(greedy);
    }
  }, 120_000);

  it("counts a hunk left without a comment once, in the consensus and in its greedy column", async () => {
    const { log } = captureLog();
    const greedy = greedyStandIns(gold);
    const failing = [...gold.entries()].find(([, answer]) => answer !== "NO_COMMENT")?.[0];
    // The adapter is refused on one commented hunk, whatever is asked (over its context, say).
    llm.setHandler((request) =>
      systemOf(request) === "adapter" && lastUserMessage(request) === failing
        ? { status: 400, message: "too long" }
        : greedy(request),
    );
    const workDir = await mkdtemp(join(tmpdir(), "eval-what-failed-"));
    try {
      const inputs = await adapterEvalInputs(log);
      const text = await evaluateText({
        examples: inputs.examples,
        systems: [
          {
            id: "adapter",
            title: "adapter",
            model: { kind: "adapter", name: ADAPTER_NAME, version: 1, trainedOn: 0 },
          },
        ],
        index: inputs.index,
        client: testLlmClient(),
        templates,
        reviewerLogin: SUBJECT.reviewerLogin,
        repoFullName: REPO_FULL_NAME,
        concurrency: 4,
        sampling: { ...DEFAULT_COMMENT_SAMPLING, n: 4 },
        scorer: createScorerRunner({ command: TALLY_SCORER }),
        workDir,
        log,
      });
      const failedHunks = (id: string) => {
        const system = text.systems.find((candidate) => candidate.id === id);
        if (!system?.ran) throw new Error(`${id} did not run`);
        return system.failedHunks;
      };
      expect(failedHunks("adapter")).toEqual({ "LLM refused with 400": 1 });
      expect(failedHunks("adapter-greedy")).toEqual({ "LLM refused with 400": 1 });
    } finally {
      llm.setHandler(greedy);
      llm.requests.splice(0);
      await rm(workDir, { recursive: true, force: true });
    }
  }, 120_000);
});
