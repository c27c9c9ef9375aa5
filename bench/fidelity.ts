/**
 * `npm run bench:fidelity -- --history <file> --reviewer <login>`: does the persona sound like
 * the reviewer, on their real review history?
 *
 * 1. collect: the recorded GitHub (support/history) serves the history file through
 *    GitHub's GraphQL search/reviews and REST files/diff routes; the bot's own history stage
 *    collects it into the real Redis (a fresh key prefix, deleted at the end) and splits it by
 *    time (newest 10% of the reviewer's pull requests held out, as production does).
 * 2. holdout: every hunk of the held-out pull requests' final diffs (fetched with the review's
 *    own code), labelled commented when one of the reviewer's kept comments sits in it; whole
 *    pull requests, newest first, up to --max-hunks.
 * 3. train: `python -m trainer train --profile smollm2-135m` on the training part (each example
 *    with the precedents from before it in its prompt, as the history stage builds it), inside
 *    the profile's CPU budget (or --train-tokens), published into the embedded ADAPTERS_DIR.
 * 4. serve: the embedded CPU vLLM (scripts/serve-vllm-cpu.sh) on a free port.
 * 5. generate: adapter and base model few-shot (both with the reviewer's precedents from the
 *    history's index, as the review retrieves them) and zero-shot read every holdout hunk with
 *    the review's prompts, LLM_CONCURRENCY requests at a time, each keeping at most the same
 *    comment budget; plus always-comment and the hunk-size rule. Then "what": each is asked for a
 *    comment on every commented hunk, beside retrieval-only and the most frequent comment.
 * 6. score: `npm run eval`'s predictions path writes the .md/.json/.svg report.
 *
 * 2b. where: the reviewer's where-model (src/where), fitted on the pull requests opened before the
 *    holdout, decides where the persona speaks on every holdout hunk (`f1_where`).
 *
 * The last stdout line: reviewer=… n_holdout=… f1_adapter=… … f1_size_rule=… f1_where=… …
 * embed_retrieval=… embed_adapter=… embed_fewshot=… embed_floor=… n_text_pairs=… epochs=….
 */

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { parse as parseYaml } from "yaml";
import { adapterNameFor } from "../jobs/adapter-names.js";
import { embeddedLlmSettings } from "../src/config/embedded-llm.js";
import { evaluateText } from "../src/eval/evaluate-text.js";
import type { EvaluationScores } from "../src/eval/evaluation-scores.js";
import { predictHoldout, type SystemPredictions } from "../src/eval/predict-holdout.js";
import type { HoldoutExample } from "../src/eval/read-holdout.js";
import type { ScoreSummary } from "../src/eval/run-scorer.js";
import { createScorerRunner } from "../src/eval/run-scorer.js";
import { scorePredictionsFile } from "../src/eval/score-predictions-file.js";
import { holdoutBudget } from "../src/eval/select-over-holdout.js";
import { cleanComments, stripQuotedLines } from "../src/history/clean-comments.js";
import { describeTargets, firstLineTarget } from "../src/history/describe-targets.js";
import { commentTouchesHunk } from "../src/history/fetch-negative-hunks.js";
import type { RawReviewComment } from "../src/history/history-records.js";
import { fewShotExamplesFromTrainText } from "../src/history/load-few-shot-examples.js";
import { chooseHoldoutCutoff, isHeldOut } from "../src/history/split-holdout.js";
import { createHistoryStore } from "../src/history/store-history.js";
import { createLlmClient } from "../src/llm/create-llm-client.js";
import { systemTurnSchema } from "../src/prompts/keep-system-turn.js";
import { mostFrequentComment } from "../src/retrieval/baseline-comments.js";
import { PRECEDENTS_PER_HUNK } from "../src/retrieval/pick-precedents.js";
import { commentSamplingFor } from "../src/review/consensus-comment.js";
import { fetchPullDiff } from "../src/review/fetch-pull-diff.js";
import { loadReviewPrompts } from "../src/review/load-review-prompts.js";
import { changedLines, type Hunk, parseDiffHunks } from "../src/review/parse-diff-hunks.js";
import { DEFAULT_COMMENT_SAMPLES } from "../src/review/review-config.js";
import type { ReviewModel } from "../src/review/review-model.js";
import { runTrainerProcess } from "../src/train/run-trainer-process.js";
import { applyWhereModel } from "../src/where/apply-where-model.js";
import { buildWhereHistory } from "../src/where/build-where-history.js";
import { buildWhereRows } from "../src/where/build-where-rows.js";
import { computeWhereFeatures } from "../src/where/compute-where-features.js";
import { decideWhere } from "../src/where/decide-where.js";
import { fitWhereModel } from "../src/where/fit-where-model.js";
import { summariseReviewerHistory } from "../src/where/summarise-reviewer-history.js";
import { startVllmCpu } from "../support/llm/start-vllm-cpu.js";
import { openBenchRedis } from "./support/bench-redis.js";
import { collectRecordedHistory } from "./support/collect-recorded-history.js";
import { requireHistoryAndReviewer } from "./support/require-data-file.js";
import { startStandInLlm } from "./support/start-stand-in.js";

const { values } = parseArgs({
  options: {
    history: { type: "string" },
    reviewer: { type: "string" },
    out: { type: "string", default: "docs/fidelity" },
    "max-hunks": { type: "string", default: "120" },
    "train-tokens": { type: "string" },
    "size-rule-lines": { type: "string", default: "3" },
    concurrency: { type: "string", default: "4" },
    // The review's LLM_COMMENT_SAMPLES default (8: the consensus, beside the greedy answers);
    // 1 scores the greedy answers alone.
    "comment-samples": { type: "string", default: String(DEFAULT_COMMENT_SAMPLES) },
    date: { type: "string" },
    "stand-in-llm": { type: "boolean", default: false },
  },
});
const { historyPath, reviewer } = requireHistoryAndReviewer(
  values,
  "Usage: npm run bench:fidelity -- --history <file.jsonl.gz> --reviewer <login> [--out docs/fidelity] [--max-hunks 120] [--train-tokens N (default: the profile's CPU budget)] [--size-rule-lines 3] [--concurrency 4] [--comment-samples 8 (the review's LLM_COMMENT_SAMPLES: the consensus beside the greedy answers; 1: the greedy answers alone)] [--stand-in-llm]",
);
const maxHunks = Number(values["max-hunks"]);
const trainTokens =
  values["train-tokens"] === undefined ? undefined : Number(values["train-tokens"]);
const sizeRuleLines = Number(values["size-rule-lines"]);
const concurrency = Number(values.concurrency);
const sampling = commentSamplingFor(Number(values["comment-samples"]));
// --stand-in-llm checks the mechanics without a model: no training, bench/serve-stand-in-llm.ts
// answers every hunk (a fixed question, random log-probabilities). Its figures mean nothing.
const standIn = values["stand-in-llm"] === true;
const outputDir = resolve(values.out ?? "docs/fidelity");
const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });
// The embedded CPU stack (scripts/setup-cpu-stack.sh): SmolLM2-135M and its adapters folder.
const { BASE_MODEL_DIR: baseModelDir, ADAPTERS_DIR: adaptersDir } = embeddedLlmSettings(
  process.env,
).env;

const phases: Record<string, number> = {};
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases[name] = (performance.now() - started) / 1000;
    process.stdout.write(`phase ${name}: ${phases[name].toFixed(1)} s\n`);
  }
}

const workDir = await mkdtemp(join(tmpdir(), "tlb-fidelity-"));
const benchRedis = openBenchRedis("fidelity");
const { redis, keyPrefix } = benchRedis;
const cleanups: (() => Promise<void>)[] = [];
try {
  // 1. collect
  const collected = await phase("collect", async () => {
    const history = await collectRecordedHistory(benchRedis, {
      historyPath,
      reviewerLogin: reviewer,
      log,
    });
    cleanups.push(() => history.close());
    const trainPath = join(workDir, "train.jsonl");
    await writeFile(trainPath, history.trainText, { mode: 0o600 });
    // Every hunk of the reviewer's pull requests, which the where-model learns from.
    const pullFiles = await createHistoryStore({
      redis,
      keyPrefix,
      subject: { owner: history.repo.owner, repo: history.repo.name, reviewerLogin: reviewer },
      ttlSeconds: 3600,
    }).loadPullFiles();
    return { ...history, trainPath, pullFiles };
  });
  const { repo, octokit, index } = collected;
  const { kept } = cleanComments({ comments: collected.raw, appBotLogin: "tech-lead-bot[bot]" });
  const before = describeTargets(
    collected.raw
      .filter((comment) => comment.replyToId === null)
      .map((comment) => firstLineTarget(stripQuotedLines(comment.body))),
  );
  const after = describeTargets(kept.map((comment) => comment.target));
  process.stdout.write(
    `targets before (first line): ${JSON.stringify(before)}\ntargets after (first meaningful sentence): ${JSON.stringify(after)}\ndropped: ${JSON.stringify(collected.result.stats.dropped)}\nprecedent index: ${index.precedents.length} kept comments of the training part\n`,
  );

  // 2. holdout: the held-out pull requests' full final diffs
  const commentsPerPull = new Map<number, number>();
  for (const comment of kept) {
    commentsPerPull.set(comment.pullNumber, (commentsPerPull.get(comment.pullNumber) ?? 0) + 1);
  }
  const cutoff = chooseHoldoutCutoff({ pulls: collected.pulls, commentsPerPull, fraction: 0.1 });
  const heldOutPulls = collected.pulls
    .filter((pull) => isHeldOut(pull, cutoff))
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  const rawById = new Map(collected.raw.map((comment) => [comment.id, comment]));
  const holdout = await phase("holdout", async () => {
    // Every held-out pull request the reviewer commented in and whose final diff is recorded,
    // read whole; the smallest first until --max-hunks, so a CPU run sees as many of them as
    // it can afford (choosing by size, never by which hunks were commented).
    const candidates: { number: number; hunks: Hunk[] }[] = [];
    let withoutDiff = 0;
    for (const pull of heldOutPulls) {
      if (!commentsPerPull.get(pull.number)) continue;
      const diff = await fetchPullDiff({
        octokit,
        owner: repo.owner,
        repo: repo.name,
        pullNumber: pull.number,
      }).catch(() => undefined);
      if (!diff) {
        withoutDiff += 1;
        continue;
      }
      const hunks = parseDiffHunks(diff.diffText).flatMap((file) => file.hunks);
      candidates.push({ number: pull.number, hunks });
    }
    candidates.sort((left, right) => left.hunks.length - right.hunks.length);
    const examples: HoldoutExample[] = [];
    const used: number[] = [];
    const pullOf = new Map<number, number>();
    for (const candidate of candidates) {
      if (used.length > 0 && examples.length + candidate.hunks.length > maxHunks) break;
      used.push(candidate.number);
      const comments = kept
        .filter((comment) => comment.pullNumber === candidate.number)
        .flatMap((comment) => {
          const raw = rawById.get(comment.id);
          return raw ? [{ clean: comment, raw }] : [];
        });
      for (const hunk of candidate.hunks) {
        pullOf.set(examples.length, candidate.number);
        examples.push({ index: examples.length, hunk, gold: goldFor(hunk, comments) });
      }
    }
    return { examples, used, pullOf, withoutDiff, candidates: candidates.length };
  });
  const examples = holdout.examples;
  const goldComments = examples.filter((example) => example.gold.kind === "comment").length;
  process.stdout.write(
    `holdout: ${heldOutPulls.length} held-out pull requests, ${holdout.candidates} commented by ${reviewer} with a recorded final diff (${holdout.withoutDiff} commented without one), ${holdout.used.length} read whole (${holdout.used.join(", ")}): ${examples.length} hunks, ${goldComments} commented by ${reviewer}\n`,
  );
  // 2b. where: the reviewer's where-model, fitted on the pull requests opened before the holdout
  // (labels from comments made before it), decides on every hunk of each used held-out pull
  // request as a review would: this is where the persona's review speaks (the LLM writes what).
  const whereSpeaks = await phase("where", async () => {
    const whereHistory = buildWhereHistory({
      reviewerLogin: reviewer,
      pulls: collected.pulls,
      pullFiles: collected.pullFiles,
      rawComments: collected.raw,
      kept,
    });
    const boundary = cutoff ?? "9999-12-31T00:00:00Z";
    const { model, seconds } = await fitWhereModel({
      rows: buildWhereRows({
        history: whereHistory,
        pulls: whereHistory.pulls.filter((pull) => pull.createdAt < boundary),
        labelsBefore: boundary,
      }),
      mode: "balanced",
    });
    const createdAt = new Map(collected.pulls.map((pull) => [pull.number, pull.createdAt]));
    const speaks = new Map<number, boolean>();
    for (const pullNumber of holdout.used) {
      const own = examples.filter((example) => holdout.pullOf.get(example.index) === pullNumber);
      const summary = summariseReviewerHistory({
        history: whereHistory,
        before: createdAt.get(pullNumber) ?? boundary,
        excludePull: pullNumber,
      });
      const probabilities = applyWhereModel(
        model,
        computeWhereFeatures({ hunks: own.map((example) => example.hunk), summary }),
      );
      const decision = decideWhere({ model, scores: probabilities, reviewerCommentRate: 0 });
      own.forEach((example, index) => {
        speaks.set(example.index, decision.speaks[index] ?? false);
      });
    }
    process.stdout.write(
      `where-model: fitted in ${seconds.toFixed(1)} s on ${model.trainedOn.pulls} pull requests before the holdout (${model.trainedOn.positives} commented hunks); ${model.decision.kind === "threshold" ? `threshold ${model.decision.threshold.toFixed(3)}` : `rate budget: ${model.decision.reason}`}; speaks on ${[...speaks.values()].filter(Boolean).length} of ${examples.length} held-out hunks\n`,
    );
    return speaks;
  });
  const rate = collected.result.stats.commentRatePerHunk;
  if (rate === null) throw new Error("the history has no comment rate: no negatives were found");
  const budget = holdoutBudget({ holdoutSize: examples.length, reviewerCommentRate: rate });

  // 3. train
  const version = Date.now() % 1_000_000_000;
  const adapterName = adapterNameFor({
    owner: repo.owner,
    repo: repo.name,
    reviewerLogin: reviewer,
    version,
  });
  const trained = await phase("train", async () => {
    if (standIn) return { steps: 0, trainSeconds: 0, trainExamples: 0, epochShare: 0 };
    await mkdir(adaptersDir, { recursive: true });
    const trainExamples = (await readFile(collected.trainPath, "utf8"))
      .split("\n")
      .filter(Boolean).length;
    const result = await runTrainerProcess({
      command: ["python3", "-m", "trainer", "train"],
      args: [
        ...["--dataset", collected.trainPath, "--profile", "smollm2-135m"],
        ...["--base-model-dir", baseModelDir, "--base-model-name", baseModelDir],
        ...["--output-dir", join(adaptersDir, adapterName)],
        ...(trainTokens === undefined
          ? []
          : ["--set", `cpu_budget.max_train_tokens=${trainTokens}`]),
      ],
      onProgress: (progress) => {
        process.stdout.write(
          `train step ${progress.step}/${progress.totalSteps} loss ${progress.loss?.toFixed(3) ?? "n/a"} ${progress.tokensPerSecond?.toFixed(0) ?? "?"} learned tokens/s\n`,
        );
      },
      log,
    });
    // The trainer's own count of epochs when it reports one; else the profile's steps over
    // batch 1 × 8 accumulated examples.
    const reported = (result as { epochs?: unknown }).epochs;
    const epochShare =
      typeof reported === "number" ? reported : ((result.steps ?? 0) * 8) / trainExamples;
    return { ...result, trainExamples, epochShare };
  });
  process.stdout.write(
    `train: ${trained.steps} steps, ~${Math.round(trained.epochShare * trained.trainExamples)} of ${trained.trainExamples} training examples = ${trained.epochShare.toFixed(2)} epochs (${trainTokens === undefined ? "the profile's CPU budget" : `cpu_budget.max_train_tokens=${trainTokens}`}), ${trained.trainSeconds} s, trainer peak RSS ${"peakRssMb" in trained ? `${trained.peakRssMb} MB` : "n/a"}\n`,
  );

  // 4. serve
  const vllm = await phase("serve", async () =>
    standIn
      ? startStandInLlm(0).then((llm) => ({ baseUrl: llm.ready.baseUrl, stop: llm.close }))
      : // 8,192 tokens (SmolLM2's context): few-shot prompts with eight past hunks exceed 4,096.
        startVllmCpu({
          modelDir: baseModelDir,
          env: { VLLM_MAX_MODEL_LEN: process.env.VLLM_MAX_MODEL_LEN ?? "8192" },
        }),
  );
  cleanups.push(() => vllm.stop());

  // 5. generate
  const templates = await loadReviewPrompts();
  const client = createLlmClient({
    baseUrl: vllm.baseUrl,
    apiKey: "not-needed",
    timeoutMs: 600_000,
    maxRetries: 1,
    adaptersDir,
  });
  const fewShotExamples = fewShotExamplesFromTrainText({
    trainText: collected.trainText,
    count: 8,
  });
  const systems: { id: string; model: ReviewModel }[] = [
    {
      id: "adapter",
      model: {
        kind: "adapter",
        name: adapterName,
        version: 1,
        trainedOn: 0,
        // Asked with the system turn it was trained on (the profile's tokenizer.system_turn).
        systemTurn: systemTurnSchema.parse(
          parseYaml(await readFile("trainer/configs/smollm2_135M_lora.yaml", "utf8")).tokenizer
            .system_turn,
        ),
        // The index its training data was augmented from (the same collection).
        precedents: index,
      },
    },
    {
      id: "few-shot",
      model: {
        kind: "few-shot",
        baseModel: baseModelDir,
        examples: fewShotExamples,
        precedents: index,
      },
    },
    { id: "zero-shot", model: { kind: "few-shot", baseModel: baseModelDir, examples: [] } },
  ];
  const lines: string[] = [];
  const models: Record<string, string> = {};
  const failedBySystem: Record<string, Record<string, number>> = {};
  const whereAnswers: Record<string, SystemPredictions["answers"]> = {};
  const pair = (example: HoldoutExample) => ({
    gold: example.gold.kind === "comment" ? example.gold.body : "",
    gold_commented: example.gold.kind === "comment",
    gold_line: example.gold.kind === "comment" ? example.gold.line : null,
  });
  for (const system of systems) {
    const { predictions, failedHunks, answers } = await phase(`generate ${system.id}`, () =>
      predictHoldout({
        examples,
        client,
        templates,
        model: system.model,
        reviewerLogin: reviewer,
        repoFullName: `${repo.owner}/${repo.name}`,
        budget: budget.comments,
        concurrency,
        log,
      }),
    );
    failedBySystem[system.id] = failedHunks;
    whereAnswers[system.id] = answers;
    if (Object.keys(failedHunks).length > 0) {
      process.stdout.write(
        `${system.id}: hunks without an answer ${JSON.stringify(failedHunks)}\n`,
      );
    }
    models[system.id] = system.model.kind === "adapter" ? system.model.name : "SmolLM2-135M";
    examples.forEach((example, index) => {
      const prediction = predictions[index] ?? { commented: false };
      const goldSide = example.gold.kind === "comment" ? example.gold.side : null;
      lines.push(
        JSON.stringify({
          system: system.id,
          budget: budget.comments,
          ...pair(example),
          pred: prediction.commented ? prediction.text : "",
          pred_commented: prediction.commented,
          pred_line:
            prediction.commented && prediction.placement.side === goldSide
              ? prediction.placement.line
              : null,
        }),
      );
    });
  }
  // The trivial baselines say the reviewer's most frequent training comment (the training part
  // only), so "what" has a floor too; always-comment speaks on every hunk, the size rule where a
  // hunk adds > N lines.
  const commonest = mostFrequentComment(index) ?? "nit";
  const baselines = [
    { id: "always-comment", speaks: () => true },
    {
      id: `size-rule-${sizeRuleLines}`,
      speaks: (hunk: Hunk) =>
        changedLines(hunk).filter((line) => line.kind === "add").length > sizeRuleLines,
    },
    // Where the persona's review speaks: the where-model's decision (with the most frequent
    // comment, like the baselines, so only its f1 is comparable).
    { id: "where-model", speaks: (_hunk: Hunk, index: number) => whereSpeaks.get(index) ?? false },
  ];
  for (const baseline of baselines) {
    const speaking = examples.filter((example) =>
      baseline.speaks(example.hunk, example.index),
    ).length;
    for (const example of examples) {
      const speaks = baseline.speaks(example.hunk, example.index);
      const first = changedLines(example.hunk)[0];
      lines.push(
        JSON.stringify({
          system: baseline.id,
          budget: speaking,
          ...pair(example),
          pred: speaks ? commonest : "",
          pred_commented: speaks,
          pred_line: speaks && first?.kind !== "del" ? (first?.newLine ?? null) : null,
        }),
      );
    }
  }
  const predictionsPath = join(workDir, `${reviewer}.jsonl`);
  await writeFile(predictionsPath, `${lines.join("\n")}\n`, { mode: 0o600 });

  // 5b. what: a comment asked on every commented hunk, beside retrieval-only and most-frequent
  const text = await phase("what", () =>
    evaluateText({
      examples,
      systems: systems.map((system) => ({
        id: system.id,
        title: system.id,
        model: system.model,
        modelLabel: models[system.id],
        // Its where answers' comments are its comments there: only the others are asked.
        whereAnswers: whereAnswers[system.id],
      })),
      index,
      client,
      templates,
      reviewerLogin: reviewer,
      repoFullName: `${repo.owner}/${repo.name}`,
      concurrency,
      sampling,
      scorer: createScorerRunner({ command: "python3 -m trainer score" }),
      workDir,
      log,
    }),
  );

  // 6. score
  const { scores, files } = await phase("score", () =>
    scorePredictionsFile({
      path: predictionsPath,
      name: reviewer,
      dataset: `${standIn ? "STAND-IN LLM, NOT A MODEL: " : ""}every hunk of ${holdout.used.length} of the ${holdout.candidates} held-out pull requests ${reviewer} commented in that have a recorded final diff (the smallest first, up to ${maxHunks} hunks) in ${repo.owner}/${repo.name} (time split: newest 10% of their commented pull requests, never trained on), read with the review's own prompts by SmolLM2-135M on CPU; the LLM systems keep at most ${budget.rule} (the reviewer's comment rate from the history); the adapter trained ${trained.epochShare.toFixed(2)} epochs (${trained.steps} steps) on examples carrying their precedents; the adapter and few-shot see each hunk's ${PRECEDENTS_PER_HUNK} nearest precedents (BM25 over code, training part only)`,
      reviewerLogin: reviewer,
      repoFullName: `${repo.owner}/${repo.name}`,
      baseModel: "SmolLM2-135M-Instruct (Q4_1 dequantised)",
      models,
      failedHunks: failedBySystem,
      reviewerCommentRate: rate,
      text,
      scorer: createScorerRunner({ command: "python3 -m trainer score" }),
      outputDir,
      date: values.date,
      log,
    }),
  );
  process.stdout.write(
    `wrote ${files.markdown}\nwrote ${files.json}\nwrote ${files.svg}\nphases: ${JSON.stringify(Object.fromEntries(Object.entries(phases).map(([name, seconds]) => [name, Math.round(seconds)])))}\n`,
  );
  process.stdout.write(
    `${lastLine({ scores, login: reviewer, n: examples.length, sizeLines: sizeRuleLines, epochs: trained.epochShare })}\n`,
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await benchRedis.close();
  await rm(workDir, { recursive: true, force: true });
}

/** The reviewer's answer for a hunk of the final diff: their first kept comment inside it. */
function goldFor(
  hunk: Hunk,
  comments: {
    clean: { path: string; target: string; side: "LEFT" | "RIGHT" };
    raw: RawReviewComment;
  }[],
): HoldoutExample["gold"] {
  const match = comments.find(
    ({ clean, raw }) => clean.path === hunk.path && commentTouchesHunk(raw, hunk),
  );
  if (!match) return { kind: "no-comment" };
  const numbers = hunk.lines.flatMap((line) =>
    match.raw.side === "LEFT"
      ? line.kind === "add"
        ? []
        : [line.oldLine]
      : line.kind === "del"
        ? []
        : [line.newLine],
  );
  const line =
    [match.raw.line, match.raw.originalLine].find(
      (candidate) => candidate !== null && numbers.includes(candidate),
    ) ??
    numbers.at(-1) ??
    1;
  return { kind: "comment", side: match.raw.side, line, body: match.clean.target };
}

function lastLine(params: {
  scores: EvaluationScores;
  login: string;
  n: number;
  sizeLines: number;
  epochs: number;
}): string {
  const { scores } = params;
  const figure = (id: string, key: "comment_f1") => {
    const system = scores.systems.find((candidate) => candidate.id === id);
    const value = system?.ran ? system.scores[key] : undefined;
    return typeof value === "number" ? String(value) : "n/a";
  };
  // "What" figures come from the comment asked on every commented hunk.
  const what = (id: string, key: keyof ScoreSummary) => {
    const system = scores.text?.systems.find((candidate) => candidate.id === id);
    const value = system?.ran ? system.scores[key] : undefined;
    return typeof value === "number" ? String(value) : "n/a";
  };
  return [
    `reviewer=${params.login}`,
    `n_holdout=${params.n}`,
    `f1_adapter=${figure("adapter", "comment_f1")}`,
    `f1_fewshot=${figure("few-shot", "comment_f1")}`,
    `f1_zeroshot=${figure("zero-shot", "comment_f1")}`,
    `f1_size_rule=${figure(`size-rule-${params.sizeLines}`, "comment_f1")}`,
    `f1_where=${figure("where-model", "comment_f1")}`,
    `bleu_adapter=${what("adapter", "bleu")}`,
    `bleu_fewshot=${what("few-shot", "bleu")}`,
    `chrf_adapter=${what("adapter", "chrf")}`,
    `chrf_adapter_greedy=${what("adapter-greedy", "chrf")}`,
    `chrf_fewshot=${what("few-shot", "chrf")}`,
    `chrf_retrieval=${what("retrieval-only", "chrf")}`,
    `chrf_most_frequent=${what("most-frequent", "chrf")}`,
    `chrf_floor=${what("adapter", "chrf_floor")}`,
    `embed_retrieval=${what("retrieval-only", "embed_sim")}`,
    `embed_most_frequent=${what("most-frequent", "embed_sim")}`,
    `embed_adapter=${what("adapter", "embed_sim")}`,
    `embed_adapter_greedy=${what("adapter-greedy", "embed_sim")}`,
    `embed_fewshot=${what("few-shot", "embed_sim")}`,
    `embed_floor=${what("adapter", "embed_sim_floor")}`,
    `n_text_pairs=${scores.text?.pairs ?? 0}`,
    `epochs=${params.epochs.toFixed(2)}`,
  ].join(" ");
}
