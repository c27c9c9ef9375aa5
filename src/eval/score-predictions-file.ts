import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Logger } from "pino";
import type { EvaluationScores, SystemScores, TextEvaluation } from "./evaluation-scores.js";
import type { ScorerRunner } from "./run-scorer.js";
import { type ReportFiles, writeEvaluationReport } from "./write-evaluation-report.js";

/** Names a system may have in a predictions file: they become report columns and file text. */
const SYSTEM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const DEFAULT_SYSTEM = "predictions";

type SystemTally = {
  lines: number;
  goldCommented: number;
  predCommented: number;
  budget: number | undefined;
  firstLine: number;
};

/**
 * Reads a predictions file in the scorer's pairs format (trainer/README.md), each line optionally
 * naming its `system` and that system's comment `budget` (comments allowed over the file).
 *
 * @throws Error naming the file and line when a line is not a JSON object, names a system badly,
 *   gives a budget that is not a whole number or changes it, or when the systems do not score
 *   the same hunks (different line or gold counts).
 */
export function tallyPredictions(text: string, source: string): Map<string, SystemTally> {
  const systems = new Map<string, SystemTally>();
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    const where = `line ${index + 1} of ${source}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new Error(`${where}: expected one JSON object per line`);
    }
    const fields = record as Record<string, unknown>;
    const system = fields.system ?? DEFAULT_SYSTEM;
    if (typeof system !== "string" || !SYSTEM_NAME.test(system)) {
      throw new Error(
        `${where}: "system" must be a name of letters, digits, "-", "_" or "." (at most 40), got ${JSON.stringify(system)}`,
      );
    }
    const budget = fields.budget;
    if (budget !== undefined && !(Number.isInteger(budget) && (budget as number) >= 0)) {
      throw new Error(
        `${where}: "budget" must be a whole number of comments, got ${JSON.stringify(budget)}`,
      );
    }
    const tally = systems.get(system) ?? {
      lines: 0,
      goldCommented: 0,
      predCommented: 0,
      budget: budget as number | undefined,
      firstLine: index + 1,
    };
    if (tally.budget !== budget) {
      throw new Error(
        `${where}: system "${system}" had budget ${tally.budget ?? "none"} on line ${tally.firstLine}, now ${budget ?? "none"}; one system has one budget`,
      );
    }
    tally.lines += 1;
    if (fields.gold_commented === true) tally.goldCommented += 1;
    if (fields.pred_commented === true) tally.predCommented += 1;
    systems.set(system, tally);
  });
  if (systems.size === 0) throw new Error(`the predictions file ${source} has no lines`);
  const [first, ...others] = [...systems.entries()];
  for (const [name, tally] of others) {
    if (
      first &&
      (tally.lines !== first[1].lines || tally.goldCommented !== first[1].goldCommented)
    ) {
      throw new Error(
        `${source}: system "${name}" has ${tally.lines} lines (${tally.goldCommented} commented by the gold), "${first[0]}" has ${first[1].lines} (${first[1].goldCommented}); every system must score the same hunks`,
      );
    }
  }
  return systems;
}

/**
 * `npm run eval -- --predictions <file>`: scores every system of a predictions file with the
 * scorer (`--system <name>` per system, so a bad line is reported with its line number in the
 * file) and writes the report. Needs no LLM endpoint.
 *
 * @throws Error when the file cannot be read, is malformed (see {@link tallyPredictions}) or the
 *   scorer fails.
 */
export async function scorePredictionsFile(params: {
  path: string;
  /** Report heading and file name stem; default the file's name. */
  name?: string | undefined;
  /** What the lines are, for the report's first sentence. */
  dataset?: string | undefined;
  reviewerLogin?: string | undefined;
  repoFullName?: string | undefined;
  baseModel?: string | undefined;
  /** Model name per system, for the column headings (e.g. the adapter's vLLM name). */
  models?: Record<string, string> | undefined;
  /**
   * Per system, the hunks its model gave no answer for, by reason (they are in the file as
   * silent predictions; the report's "hunks without an answer" row says how many).
   */
  failedHunks?: Record<string, Record<string, number>> | undefined;
  /** The reviewer's comments per hunk behind the budgets, when the caller used one. */
  reviewerCommentRate?: number | undefined;
  /** "What" on every commented hunk, already scored (evaluateText), for the report. */
  text?: TextEvaluation | undefined;
  scorer: ScorerRunner;
  outputDir: string;
  date?: string | undefined;
  log: Logger;
}): Promise<{ scores: EvaluationScores; files: ReportFiles }> {
  let text: string;
  try {
    text = await readFile(params.path, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the predictions file ${params.path}: pass --predictions with a JSONL file in the pairs format of trainer/README.md`,
      { cause: error },
    );
  }
  const tallies = tallyPredictions(text, params.path);
  const systems: SystemScores[] = [];
  for (const [name, tally] of tallies) {
    params.log.info({ system: name }, "eval: scoring predictions");
    const scores = await params.scorer({ pairsPath: params.path, system: name });
    systems.push({
      id: name,
      title: name,
      model: params.models?.[name] ?? null,
      ran: true,
      failedHunks: params.failedHunks?.[name] ?? {},
      commentsPredicted: tally.predCommented,
      budget:
        tally.budget === undefined
          ? "not stated in the file"
          : `${tally.budget} comments (stated in the file)`,
      scores,
    });
  }
  const first = [...tallies.values()][0];
  const fileName = basename(params.path).replace(/\.jsonl$/, "");
  const scores: EvaluationScores = {
    name: params.name ?? fileName,
    dataset: params.dataset ?? `the pairs in ${basename(params.path)}`,
    reviewerLogin: params.reviewerLogin ?? null,
    repoFullName: params.repoFullName ?? null,
    date: params.date ?? new Date().toISOString().slice(0, 10),
    holdoutSize: first?.lines ?? 0,
    holdoutComments: first?.goldCommented ?? 0,
    reviewerCommentRate: params.reviewerCommentRate ?? null,
    baseModel: params.baseModel ?? null,
    systems,
    ...(params.text ? { text: params.text } : {}),
  };
  const files = await writeEvaluationReport({ scores, outputDir: params.outputDir });
  return { scores, files };
}
