/**
 * `npm run bench:retrieval -- --history <file> --reviewer <login>`: which ranking finds the
 * reviewer's precedent that says what they really said on a held-out hunk?
 *
 * The bot's own history stage collects the recorded history (as bench:fidelity does) and builds
 * the precedent index over the training part. For every commented hunk of the holdout (the
 * reviewer's newest 10% of pull requests, never in the index), each ranking's nearest precedent's
 * comment is taken as the answer — retrieval-only — and scored against the real comment with
 * `python -m trainer score` (embedding similarity, chrF, BLEU-4, bootstrap 95% intervals,
 * shuffled floors):
 *
 * - `bm25`: BM25 (k1 1.2, b 0.75) over code tokens of path + hunk (src/retrieval);
 * - `embedding`: cosine of all-MiniLM-L6-v2 embeddings of path + hunk (`python -m trainer embed`);
 * - `hybrid`: reciprocal-rank fusion of the two (constant 60, Cormack et al. 2009);
 * - `most-frequent`: the reviewer's most frequent training comment, whatever the hunk.
 *
 * Every constant is the textbook one, fixed before any run. Writes
 * `<out>/<reviewer>-<date>.md/.json`; the last stdout line is
 * `reviewer=… n_queries=… embed_bm25=… embed_embedding=… embed_hybrid=… embed_most_frequent=… embed_floor=… chrf_bm25=… …`.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { parseHunkTurn } from "../src/eval/parse-hunk-turn.js";
import { createScorerRunner, type ScoreSummary } from "../src/eval/run-scorer.js";
import { loadPrompts } from "../src/prompts/load-prompts.js";
import { parseAnswer } from "../src/prompts/parse-answer.js";
import { mostFrequentComment } from "../src/retrieval/baseline-comments.js";
import { scorePrecedentsBm25 } from "../src/retrieval/find-precedents.js";
import { pickPrecedents } from "../src/retrieval/pick-precedents.js";
import { hunkCode } from "../src/retrieval/precedent-index.js";
import { openBenchRedis } from "./support/bench-redis.js";
import { collectRecordedHistory } from "./support/collect-recorded-history.js";
import { dot, embedTexts } from "./support/embed-texts.js";

const { values } = parseArgs({
  options: {
    history: { type: "string" },
    reviewer: { type: "string" },
    out: { type: "string", default: "docs/retrieval" },
    date: { type: "string" },
  },
});
if (!values.history || !values.reviewer) {
  process.stderr.write(
    "Usage: npm run bench:retrieval -- --history <file.jsonl.gz> --reviewer <login> [--out docs/retrieval] [--date YYYY-MM-DD]\n",
  );
  process.exit(2);
}
const reviewer = values.reviewer;
const date = values.date ?? new Date().toISOString().slice(0, 10);
const outputDir = resolve(values.out ?? "docs/retrieval");
/** Reciprocal-rank fusion's constant, as published (Cormack, Clarke & Büttcher 2009). */
const RRF_CONSTANT = 60;
const METHODS = ["bm25", "embedding", "hybrid", "most-frequent"] as const;
type Method = (typeof METHODS)[number];

const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });
const benchRedis = openBenchRedis("retrieval");
const workDir = await mkdtemp(join(tmpdir(), "tlb-retrieval-"));
try {
  const started = performance.now();
  const collected = await collectRecordedHistory(benchRedis, {
    historyPath: values.history,
    reviewerLogin: reviewer,
    log,
  });
  await collected.close();
  const templates = await loadPrompts();
  const { precedents } = collected.index;
  const queries = collected.holdoutText
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const [, user, assistant] = (JSON.parse(line) as { messages: { content: string }[] })
        .messages;
      const answer = parseAnswer(assistant?.content ?? "");
      if (answer.kind !== "comment" || !user) return [];
      return [{ hunk: parseHunkTurn({ templates, turn: user.content }), gold: answer.body }];
    });
  if (queries.length === 0 || precedents.length === 0) {
    throw new Error(
      `${reviewer} has ${queries.length} held-out comments and ${precedents.length} precedents: nothing to measure`,
    );
  }
  process.stdout.write(
    `${reviewer}: ${precedents.length} precedents (training part), ${queries.length} held-out commented hunks\n`,
  );

  const embedStarted = performance.now();
  const vectors = await embedTexts([
    ...precedents.map((precedent) => `${precedent.path}\n${precedent.code}`),
    ...queries.map((query) => `${query.hunk.path}\n${hunkCode(query.hunk)}`),
  ]);
  const embedSeconds = (performance.now() - embedStarted) / 1000;
  const precedentVectors = vectors.slice(0, precedents.length);
  const queryVectors = vectors.slice(precedents.length);
  const fallback = mostFrequentComment(collected.index) ?? "";

  const ranks = (scores: readonly number[]) => {
    const order = scores
      .map((_, index) => index)
      .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    const rank = new Array<number>(scores.length);
    order.forEach((index, position) => {
      rank[index] = position + 1;
    });
    return rank;
  };
  const lines: string[] = [];
  queries.forEach((query, queryIndex) => {
    const bm25 = scorePrecedentsBm25(collected.index, {
      path: query.hunk.path,
      code: hunkCode(query.hunk),
    });
    const queryVector = queryVectors[queryIndex] ?? [];
    const embedding = precedentVectors.map((vector) => dot(vector, queryVector));
    const bm25Rank = ranks(bm25);
    const embeddingRank = ranks(embedding);
    const hybrid = precedents.map(
      (_, index) =>
        1 / (RRF_CONSTANT + (bm25Rank[index] ?? 0)) +
        1 / (RRF_CONSTANT + (embeddingRank[index] ?? 0)),
    );
    const nearest = (scores: readonly number[]) =>
      pickPrecedents({ precedents, scores, query: { path: query.hunk.path }, k: 1 })[0]?.comment ??
      fallback;
    const answers: Record<Method, string> = {
      bm25: nearest(bm25),
      embedding: nearest(embedding),
      hybrid: nearest(hybrid),
      "most-frequent": fallback,
    };
    for (const method of METHODS) {
      lines.push(JSON.stringify({ system: method, gold: query.gold, pred: answers[method] }));
    }
  });
  const pairsPath = join(workDir, "pairs.jsonl");
  await writeFile(pairsPath, `${lines.join("\n")}\n`, { mode: 0o600 });
  const scorer = createScorerRunner({ command: "python3 -m trainer score" });
  const scores = {} as Record<Method, ScoreSummary>;
  for (const method of METHODS) scores[method] = await scorer({ pairsPath, system: method });

  const report = {
    reviewer,
    repo: `${collected.repo.owner}/${collected.repo.name}`,
    date,
    precedents: precedents.length,
    queries: queries.length,
    embedSeconds: Math.round(embedSeconds),
    seconds: Math.round((performance.now() - started) / 1000),
    scores,
  };
  await mkdir(outputDir, { recursive: true });
  const base = join(outputDir, `${reviewer}-${date}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, markdownOf(report));
  process.stdout.write(`wrote ${base}.md\nwrote ${base}.json\n`);
  const figure = (method: Method, key: "embed_sim" | "chrf" | "bleu") =>
    String(scores[method][key] ?? "n/a");
  process.stdout.write(
    `${[
      `reviewer=${reviewer}`,
      `n_queries=${queries.length}`,
      ...METHODS.map(
        (method) => `embed_${method.replace("-", "_")}=${figure(method, "embed_sim")}`,
      ),
      `embed_floor=${scores.bm25.embed_sim_floor ?? "n/a"}`,
      ...METHODS.map((method) => `chrf_${method.replace("-", "_")}=${figure(method, "chrf")}`),
      `chrf_floor=${scores.bm25.chrf_floor ?? "n/a"}`,
      ...METHODS.map((method) => `bleu_${method.replace("-", "_")}=${figure(method, "bleu")}`),
    ].join(" ")}\n`,
  );
} finally {
  await benchRedis.close();
  await rm(workDir, { recursive: true, force: true });
}

function markdownOf(report: {
  reviewer: string;
  repo: string;
  date: string;
  precedents: number;
  queries: number;
  embedSeconds: number;
  seconds: number;
  scores: Record<Method, ScoreSummary>;
}): string {
  const interval = (
    value: number | null | undefined,
    ci: [number, number] | null | undefined,
    digits: number,
  ) =>
    value === null || value === undefined
      ? "n/a"
      : `${value.toFixed(digits)}${ci ? ` [${ci[0].toFixed(digits)}, ${ci[1].toFixed(digits)}]` : ""}`;
  const row = (title: string, cell: (summary: ScoreSummary) => string) =>
    `| ${title} | ${METHODS.map((method) => cell(report.scores[method])).join(" | ")} |`;
  return [
    `# Retrieval-only on ${report.reviewer}'s holdout in ${report.repo}, ${report.date}`,
    "",
    `${report.queries} held-out commented hunks (the reviewer's newest 10% of pull requests) against ${report.precedents} precedents (their kept comments in the training part). Each column answers every hunk with its nearest precedent's comment (most-frequent: the same comment everywhere). Figures with bootstrap 95% intervals over the hunks; floors pair each answer with another hunk's real comment. Embedding all texts took ${report.embedSeconds} s; the whole run ${report.seconds} s.`,
    "",
    `| metric | ${METHODS.join(" | ")} |`,
    `|---|${METHODS.map(() => "---:").join("|")}|`,
    row("embedding cosine", (s) => interval(s.embed_sim, s.embed_sim_ci, 3)),
    row("embedding cosine, shuffled floor", (s) =>
      interval(s.embed_sim_floor, s.embed_sim_floor_ci, 3),
    ),
    row("chrF", (s) => interval(s.chrf, s.chrf_ci, 1)),
    row("chrF, shuffled floor", (s) => interval(s.chrf_floor, undefined, 1)),
    row("BLEU-4 (CodeReviewer)", (s) => interval(s.bleu, s.bleu_ci, 2)),
    row("BLEU-4, shuffled floor", (s) => interval(s.bleu_floor, undefined, 2)),
    row("pairs", (s) => String(s.n_text)),
    "",
    "Command: `npm run bench:retrieval -- --history ../shared/data/secp256k1-review-history.jsonl.gz --reviewer " +
      `${report.reviewer}\`.`,
    "",
  ].join("\n");
}
