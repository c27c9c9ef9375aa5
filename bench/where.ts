/**
 * `npm run bench:where -- --history <file.jsonl.gz> [--reviewer <login> | --min-comments <n>]
 * [--folds 3] [--mode balanced|quiet] [--out <dir>] [--llm <base_url> --model <name>
 * [--concurrency 4]]`: does the learned where-model find the hunks a reviewer comments on better
 * than the hunk-size rule, on their real history?
 *
 * 1. collect: the recorded GitHub serves the history file; the bot's own history stage
 *    collects each reviewer into the real Redis (fresh key prefix, deleted at the end), keeping
 *    every hunk of every pull request they took part in (WHERE_MAX_PRS unbounded here).
 * 2. folds: rolling and time-ordered (src/where/split-rolling-folds.ts): the older half of the
 *    reviewer's commented pull requests is only trained on, the newer half is cut into --folds
 *    slices; each slice is scored after training on everything opened before it.
 * 3. fit: `python -m trainer where fit` on the training rows only (its threshold and
 *    hyper-parameters come from time-ordered cross-validation inside them).
 * 4. score every hunk of the held-out pull requests' final diffs: the where-model, the size
 *    rule (adds > 3 lines, fixed in advance; its PR-AUC ranks by lines added), always-comment;
 *    F1, precision, recall, PR-AUC (average precision), 95% bootstrap intervals over pull
 *    requests (1,000 resamples, seed 1).
 * 5. with --llm: the model server (OpenAI protocol, e.g. vLLM) reads every hunk of every pull
 *    request of the reviewer with the review's own zero-shot persona prompt (no history in the
 *    prompt, so nothing of a held-out pull request reaches it; do not pass a model fine-tuned on
 *    this history) and its P(comment) becomes (a) the `llm:p` feature of a second where-model
 *    (`where_llm`, fitted on the same folds) and (b) a system of its own, `llm`: the review's
 *    rule before the where-model, P(comment) ranked and cut at ⌈rate × hunks⌉ per pull request,
 *    the rate from the fold's training rows. Hunks the LLM did not answer have no `llm:p` and
 *    rank last. The plain where-model never sees it.
 *
 * One line per reviewer, then the last line: reviewers=… beats_size_rule=… pooled_f1_where=…
 * pooled_f1_size_rule=… pooled_prauc_where=… pooled_prauc_size_rule=…
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, hostname } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { createLlmClient } from "../src/llm/create-llm-client.js";
import { createConcurrencyLimit } from "../src/llm/limit-concurrency.js";
import { loadReviewPrompts } from "../src/review/load-review-prompts.js";
import { readHunksWithModel } from "../src/review/read-hunks-with-model.js";
import { buildWhereHistory } from "../src/where/build-where-history.js";
import { decideWhere } from "../src/where/decide-where.js";
import { fitWhereModel } from "../src/where/fit-where-model.js";
import { tokenBucket, tokeniseLine } from "../src/where/hash-tokens.js";
import { type FoldReport, runWhereFolds, type ScoredHunk } from "../src/where/run-where-folds.js";
import {
  averagePrecision,
  bootstrapInterval,
  classificationFigures,
  SIZE_RULE_ADDED_LINES,
} from "../src/where/score-where.js";
import { splitRollingFolds } from "../src/where/split-rolling-folds.js";
import type { WhereHistory } from "../src/where/where-history.js";
import { openBenchRedis } from "./support/bench-redis.js";
import { collectRecordedReviewer } from "./support/collect-recorded-reviewer.js";
import {
  type RecordedPull,
  readRecordedHistory,
  recordedRepository,
  startGithubStandIn,
} from "./support/recorded-github.js";

const { values } = parseArgs({
  options: {
    history: { type: "string" },
    reviewer: { type: "string" },
    "min-comments": { type: "string" },
    folds: { type: "string", default: "3" },
    mode: { type: "string", default: "balanced" },
    out: { type: "string" },
    llm: { type: "string" },
    model: { type: "string" },
    concurrency: { type: "string", default: "4" },
  },
});
const usage =
  "Usage: npm run bench:where -- --history <file.jsonl.gz> [--reviewer <login> | --min-comments <n>] [--folds 3] [--mode balanced|quiet] [--out docs/where] [--llm <base_url> --model <name> [--concurrency 4]]\n";
if (!values.history || (values.reviewer === undefined) === (values["min-comments"] === undefined)) {
  process.stderr.write(usage);
  process.exit(2);
}
const folds = Number(values.folds);
const mode = values.mode;
if (!Number.isInteger(folds) || folds < 3) {
  process.stderr.write(`--folds must be a whole number ≥ 3, got ${values.folds}\n${usage}`);
  process.exit(2);
}
if (mode !== "balanced" && mode !== "quiet") {
  process.stderr.write(`--mode must be balanced or quiet, got ${mode}\n${usage}`);
  process.exit(2);
}
if ((values.llm === undefined) !== (values.model === undefined)) {
  process.stderr.write(`--llm and --model go together\n${usage}`);
  process.exit(2);
}
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  process.stderr.write(
    `--concurrency must be a whole number ≥ 1, got ${values.concurrency}\n${usage}`,
  );
  process.exit(2);
}
const llmServer =
  values.llm !== undefined && values.model !== undefined
    ? { baseUrl: values.llm, model: values.model }
    : undefined;
const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });
const print = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number) => value.toFixed(3);
const interval = ([low, high]: [number, number]) => `[${round(low)},${round(high)}]`;

/** Top-level review comments by each login on pull requests someone else opened. */
function countReviewComments(pulls: readonly RecordedPull[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pull of pulls) {
    for (const comment of pull.comments) {
      const login = comment.user;
      if (!login || login === "ghost" || /\[bot\]$/i.test(login) || login === pull.user) continue;
      if (comment.in_reply_to_id !== null && comment.in_reply_to_id !== undefined) continue;
      counts.set(login, (counts.get(login) ?? 0) + 1);
    }
  }
  return counts;
}

/** The commonest tokens behind each hash bucket in the reviewer's changed lines (for reading). */
function tokensByBucket(history: WhereHistory): Map<number, string[]> {
  const counts = new Map<number, Map<string, number>>();
  for (const pull of history.pulls) {
    for (const { hunk } of pull.hunks) {
      for (const line of hunk.lines) {
        if (line.kind === "context") continue;
        for (const token of tokeniseLine(line.content)) {
          const bucket = tokenBucket(token);
          const tokens = counts.get(bucket) ?? new Map<string, number>();
          tokens.set(token, (tokens.get(token) ?? 0) + 1);
          counts.set(bucket, tokens);
        }
      }
    }
  }
  return new Map(
    [...counts].map(([bucket, tokens]) => [
      bucket,
      [...tokens]
        .sort((left, right) => right[1] - left[1])
        .slice(0, 3)
        .map(([token]) => token),
    ]),
  );
}

function readableFeature(name: string, buckets: Map<number, string[]>): string {
  const match = /^tok:(\d+)$/.exec(name);
  return match ? `tok:${(buckets.get(Number(match[1])) ?? ["?"]).join("|")}` : name;
}

/** A held-out hunk with, under --llm, the LLM-fed where-model's and the LLM's own decisions. */
type BenchHunk = ScoredHunk & {
  whereLlm?: { probability: number; speaks: boolean };
  llm?: { score: number; speaks: boolean };
};
type System = {
  id: string;
  speaks: (hunk: BenchHunk) => boolean;
  score: (hunk: BenchHunk) => number;
};
const systems: System[] = [
  { id: "where", speaks: (hunk) => hunk.speaks, score: (hunk) => hunk.probability },
  {
    id: "size_rule",
    speaks: (hunk) => hunk.adds > SIZE_RULE_ADDED_LINES,
    score: (hunk) => hunk.adds,
  },
  { id: "always", speaks: () => true, score: () => 1 },
  ...(llmServer
    ? [
        {
          id: "where_llm",
          speaks: (hunk: BenchHunk) => hunk.whereLlm?.speaks ?? false,
          score: (hunk: BenchHunk) => hunk.whereLlm?.probability ?? 0,
        },
        {
          id: "llm",
          speaks: (hunk: BenchHunk) => hunk.llm?.speaks ?? false,
          score: (hunk: BenchHunk) => hunk.llm?.score ?? -1,
        },
      ]
    : []),
];

function figures(hunks: readonly BenchHunk[], system: System) {
  const byPull = new Map<number, BenchHunk[]>();
  for (const hunk of hunks) byPull.set(hunk.pull, [...(byPull.get(hunk.pull) ?? []), hunk]);
  const f1Of = (items: readonly BenchHunk[]) =>
    classificationFigures(
      items.map((hunk) => ({ label: hunk.label, predicted: system.speaks(hunk) })),
    );
  const praucOf = (items: readonly BenchHunk[]) =>
    averagePrecision(items.map((hunk) => ({ label: hunk.label, score: system.score(hunk) })));
  const groups = [...byPull.values()];
  return {
    ...f1Of(hunks),
    prauc: praucOf(hunks),
    f1Interval: bootstrapInterval({ groups, statistic: (items) => f1Of(items).f1 }),
    praucInterval: bootstrapInterval({ groups, statistic: praucOf }),
  };
}

const recorded = readRecordedHistory(values.history);
const repo = recordedRepository(recorded);
const counts = countReviewComments(recorded);
const minComments =
  values["min-comments"] === undefined ? undefined : Number(values["min-comments"]);
const reviewers = values.reviewer
  ? [values.reviewer]
  : [...counts]
      .filter(([, count]) => count >= (minComments ?? 0))
      .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
      .map(([login]) => login);
print(
  `bench:where ${repo.owner}/${repo.name} on ${hostname()} (${cpus().length} CPUs, ${cpus()[0]?.model ?? "?"}), ${new Date().toISOString()}, folds=${folds} mode=${mode}`,
);
print(
  `reviewers: ${reviewers.map((login) => `${login} (${counts.get(login) ?? 0})`).join(", ")}${minComments === undefined ? "" : ` — ≥ ${minComments} top-level comments on others' pull requests`}`,
);

/**
 * The LLM's P(comment) for every hunk of every pull request in `history`, read with the review's
 * own zero-shot persona prompt: pull request number → scores in hunk order (undefined where the
 * server gave no answer or no log-probabilities).
 */
async function readLlmScores(
  history: WhereHistory,
  login: string,
): Promise<Map<number, (number | undefined)[]>> {
  if (!llmServer) return new Map();
  const started = performance.now();
  const items = history.pulls.flatMap((pull) =>
    pull.hunks.map((entry, index) => ({ pull: pull.number, index, hunk: entry.hunk })),
  );
  const { read, failures } = await readHunksWithModel({
    items,
    client: llmClient,
    templates: await loadReviewPrompts(),
    model: { kind: "few-shot", baseModel: llmServer.model, examples: [] },
    reviewerLogin: login,
    repoFullName: `${repo.owner}/${repo.name}`,
    limit: createConcurrencyLimit(concurrency),
    onProgress: () => undefined,
  });
  const scores = new Map(
    history.pulls.map((pull) => [
      pull.number,
      pull.hunks.map(() => undefined as number | undefined),
    ]),
  );
  for (const { item, verdict } of read) {
    const row = scores.get(item.pull);
    if (row) row[item.index] = verdict.score;
  }
  const scored = read.filter(({ verdict }) => verdict.score !== undefined).length;
  print(
    `  llm ${llmServer.model}: ${items.length} hunks asked, ${scored} with P(comment), ${items.length - scored} without (${JSON.stringify(failures)}), ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return scores;
}

/**
 * The LLM alone, as the review decided before the where-model: per held-out pull request, its
 * P(comment) ranked and cut at ⌈rate × hunks⌉, the rate the commented share of the fold's
 * training hunks; unanswered hunks rank last.
 */
function decideByLlm(
  hunks: readonly ScoredHunk[],
  folds: readonly FoldReport[],
  scores: ReadonlyMap<number, readonly (number | undefined)[]>,
): Map<string, { score: number; speaks: boolean }> {
  const decided = new Map<string, { score: number; speaks: boolean }>();
  const groups = new Map<string, ScoredHunk[]>();
  for (const hunk of hunks) {
    const key = `${hunk.fold}:${hunk.pull}`;
    groups.set(key, [...(groups.get(key) ?? []), hunk]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    const trained = folds.find((fold) => fold.fold === first?.fold)?.model.trainedOn;
    const rate = trained && trained.rows > 0 ? trained.positives / trained.rows : 0;
    const llmScores = group.map((hunk) => scores.get(hunk.pull)?.[hunk.index] ?? -1);
    const decision = decideWhere({
      model: undefined,
      scores: llmScores,
      reviewerCommentRate: rate,
    });
    group.forEach((hunk, position) => {
      decided.set(`${hunk.fold}:${hunk.pull}:${hunk.index}`, {
        score: llmScores[position] ?? -1,
        speaks: decision.speaks[position] ?? false,
      });
    });
  }
  return decided;
}

const llmClient = createLlmClient({
  baseUrl: llmServer?.baseUrl ?? "http://127.0.0.1:9/v1",
  apiKey: process.env.LLM_API_KEY ?? "none",
  timeoutMs: Number(process.env.LLM_TIMEOUT_MS ?? 120_000),
  maxRetries: 2,
});
const github = await startGithubStandIn({ repo });
const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
const octokit = new Octokit({ auth: { token: github.token }, baseUrl: github.url });
const benchRedis = openBenchRedis("where");
const { redis, keyPrefix } = benchRedis;
const pooled: BenchHunk[] = [];
const report: unknown[] = [];
let beats = 0;
const started = performance.now();
try {
  for (const login of reviewers) {
    const collectStarted = performance.now();
    const collected = await collectRecordedReviewer({
      octokit,
      owner: repo.owner,
      repo: repo.name,
      reviewerLogin: login,
      redis,
      keyPrefix,
      config: { WHERE_MAX_PRS: 1_000_000 },
      log,
    });
    const history = buildWhereHistory({
      reviewerLogin: login,
      pulls: collected.pulls,
      pullFiles: collected.pullFiles,
      rawComments: collected.raw,
      kept: collected.kept,
    });
    const rollingFolds = splitRollingFolds({ pulls: history.pulls, folds });
    const commentedPulls = history.pulls.filter((pull) =>
      pull.hunks.some((hunk) => hunk.commentTimes.length > 0),
    ).length;
    print(
      `${login}: ${collected.pulls.length} reviewed pull requests, ${history.pulls.length} not their own with files (${commentedPulls} commented), ${collected.kept.length} kept comments; collected in ${((performance.now() - collectStarted) / 1000).toFixed(1)} s`,
    );
    const buckets = tokensByBucket(history);
    const describeFold =
      (label: string) =>
      (fold: FoldReport): void => {
        const cv = fold.model.cv;
        print(
          `  ${label}fold ${fold.fold}: train ${fold.trainPulls} pull requests (${fold.trainRows} hunks, ${fold.model.trainedOn.positives} commented) before ${fold.boundary.slice(0, 10)}, fit ${fold.fitSeconds.toFixed(1)} s; ${fold.explanation}${cv ? `; inner CV f1=${round(cv.f1 ?? 0)} prauc=${round(cv.prauc ?? 0)} (${cv.folds} folds, ${cv.rows} hunks)` : ""}; ${JSON.stringify(fold.model.hyperParameters.C)}/${fold.model.hyperParameters.population}; held out ${fold.heldOutPulls}`,
        );
      };
    const { hunks: plainHunks, folds: foldReports } = await runWhereFolds({
      history,
      folds: rollingFolds,
      fit: (rows) => fitWhereModel({ rows, mode }),
      onFold: describeFold(""),
    });
    let hunks: BenchHunk[] = plainHunks;
    let llmFolds: FoldReport[] = [];
    if (llmServer) {
      const llmScores = await readLlmScores(history, login);
      const withLlm = await runWhereFolds({
        history,
        folds: rollingFolds,
        fit: (rows) => fitWhereModel({ rows, mode }),
        llmScores,
        onFold: describeFold("where_llm "),
      });
      llmFolds = withLlm.folds;
      const key = (hunk: ScoredHunk) => `${hunk.fold}:${hunk.pull}:${hunk.index}`;
      const fed = new Map(withLlm.hunks.map((hunk) => [key(hunk), hunk]));
      const alone = decideByLlm(plainHunks, foldReports, llmScores);
      hunks = plainHunks.map((hunk) => {
        const other = fed.get(key(hunk));
        const llm = alone.get(key(hunk));
        return {
          ...hunk,
          ...(other ? { whereLlm: { probability: other.probability, speaks: other.speaks } } : {}),
          ...(llm ? { llm } : {}),
        };
      });
    }
    pooled.push(...hunks);
    const scored = Object.fromEntries(systems.map((system) => [system.id, figures(hunks, system)]));
    const where = scored.where;
    const size = scored.size_rule;
    const always = scored.always;
    if (!where || !size || !always) throw new Error("missing system figures");
    const beaten = where.f1 > size.f1;
    if (beaten) beats += 1;
    const heldOutPulls = new Set(hunks.map((hunk) => hunk.pull)).size;
    const positives = hunks.filter((hunk) => hunk.label === 1).length;
    const rateBudgetFolds = foldReports.filter((fold) => fold.rule === "rate-budget").length;
    print(
      [
        `reviewer=${login}`,
        `heldout_pulls=${heldOutPulls}`,
        `hunks=${hunks.length}`,
        `commented=${positives}`,
        `f1_where=${round(where.f1)} ${interval(where.f1Interval)}`,
        `p_where=${round(where.precision)}`,
        `r_where=${round(where.recall)}`,
        `prauc_where=${round(where.prauc)} ${interval(where.praucInterval)}`,
        `f1_size_rule=${round(size.f1)} ${interval(size.f1Interval)}`,
        `p_size_rule=${round(size.precision)}`,
        `r_size_rule=${round(size.recall)}`,
        `prauc_size_rule=${round(size.prauc)} ${interval(size.praucInterval)}`,
        `f1_always=${round(always.f1)}`,
        `prauc_always=${round(always.prauc)}`,
        ...(llmServer
          ? (["where_llm", "llm"] as const).flatMap((id) => {
              const figure = scored[id];
              if (!figure) return [];
              return [
                `f1_${id}=${round(figure.f1)} ${interval(figure.f1Interval)}`,
                `p_${id}=${round(figure.precision)}`,
                `r_${id}=${round(figure.recall)}`,
                `prauc_${id}=${round(figure.prauc)} ${interval(figure.praucInterval)}`,
              ];
            })
          : []),
        `rate_budget_folds=${rateBudgetFolds}/${foldReports.length}`,
        `beats_size_rule=${beaten ? "yes" : "no"}`,
      ].join(" "),
    );
    report.push({
      reviewer: login,
      figures: scored,
      folds: foldReports.map((fold) => ({
        fold: fold.fold,
        boundary: fold.boundary,
        trainPulls: fold.trainPulls,
        trainRows: fold.trainRows,
        heldOutPulls: fold.heldOutPulls,
        rule: fold.rule,
        explanation: fold.explanation,
        cv: fold.model.cv,
        hyperParameters: fold.model.hyperParameters,
        topFeatures: fold.model.topFeatures.map((feature) => ({
          name: readableFeature(feature.name, buckets),
          weight: Math.round(feature.weight * 1000) / 1000,
        })),
      })),
      ...(llmServer
        ? {
            whereLlmFolds: llmFolds.map((fold) => ({
              fold: fold.fold,
              explanation: fold.explanation,
              cv: fold.model.cv,
              llmWeight: fold.model.weights["llm:p"] ?? 0,
            })),
          }
        : {}),
    });
  }
  const pooledWhere = figures(pooled, systems[0] as System);
  const pooledSize = figures(pooled, systems[1] as System);
  print(
    `pooled: hunks=${pooled.length} commented=${pooled.filter((hunk) => hunk.label === 1).length} f1_where ${interval(pooledWhere.f1Interval)} f1_size_rule ${interval(pooledSize.f1Interval)} prauc_where ${interval(pooledWhere.praucInterval)} prauc_size_rule ${interval(pooledSize.praucInterval)}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  if (values.out) {
    const outDir = resolve(values.out);
    await mkdir(outDir, { recursive: true });
    const path = join(outDir, "bench-where.json");
    await writeFile(
      path,
      `${JSON.stringify({ command: process.argv.slice(2), reviewers: report }, null, 1)}\n`,
    );
    print(`wrote ${path}`);
  }
  const pooledLlm = llmServer
    ? (["where_llm", "llm"] as const).map((id) => {
        const system = systems.find((candidate) => candidate.id === id) as System;
        const figure = figures(pooled, system);
        return ` pooled_f1_${id}=${round(figure.f1)} pooled_prauc_${id}=${round(figure.prauc)}`;
      })
    : [];
  print(
    `reviewers=${reviewers.length} beats_size_rule=${beats} pooled_f1_where=${round(pooledWhere.f1)} pooled_f1_size_rule=${round(pooledSize.f1)} pooled_prauc_where=${round(pooledWhere.prauc)} pooled_prauc_size_rule=${round(pooledSize.prauc)}${pooledLlm.join("")}`,
  );
} finally {
  await github.close();
  await benchRedis.close();
}
