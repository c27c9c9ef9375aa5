import { join } from "node:path";
import type OpenAI from "openai";
import type { Verdict } from "./ask-llm-for-verdict.js";
import { askLlmForVerdict, type BackportPrompts, type LlmVerdict } from "./ask-llm-for-verdict.js";
import { collectCommitRecords } from "./collect-commit-records.js";
import { type CommitRecord, withStableAge } from "./commit-record.js";
import { type Decision, decideVerdict } from "./decide-verdict.js";
import { extractCommitFeatures } from "./extract-commit-features.js";
import { findMessageHints } from "./find-message-hints.js";
import type { FeatureRow } from "./fit-verdict-model.js";
import { learnVerdictModel } from "./learn-verdict-model.js";
import { checkRepository, resolveCommitRange } from "./resolve-commit-range.js";
import { cacheKey, openVerdictCache } from "./verdict-cache.js";
import { applyVerdictModel, type VerdictModel } from "./verdict-model.js";

/** One judged commit of a triage run. */
export interface TriageRow {
  record: CommitRecord;
  verdict: Verdict;
  reason: string;
  backported: boolean;
}

export interface TriageResult {
  rows: TriageRow[];
  modelNote: string;
  llmNote: string;
  counts: { commits: number; backported: number; cached: number; evaluated: number };
  mergeBaseSha: string;
}

/** The LLM a triage may ask, or why there is none. */
export type TriageLlm =
  | { client: OpenAI; model: string; prompts: BackportPrompts }
  | { missing: string };

const FLUSH_EVERY = 20;

/**
 * The triage of one stable branch: every non-merge dev commit since the merge base (or `since`),
 * already-backported ones marked, the rest judged by the verdict model learned from the
 * repository's past and by the LLM (see decideVerdict). Verdicts are cached in `outDir` per commit,
 * model version and prompt/LLM version, flushed atomically every few commits, so a rerun (or a
 * run after an interruption) judges only the commits it has not judged yet.
 */
export async function runBackportsTriage(params: {
  repoDir: string;
  repoName: string;
  dev: string;
  stable: string;
  since?: string | undefined;
  outDir: string;
  llm: TriageLlm;
  refit: boolean;
  historyBranches?: string[] | undefined;
  historyLimit?: number;
  waitDays: number;
  nowMs: number;
  fit: (rows: FeatureRow[]) => Promise<VerdictModel>;
  onProgress: (message: string) => void;
}): Promise<TriageResult> {
  const { repoDir } = params;
  await checkRepository(repoDir);
  const range = await resolveCommitRange({
    repoDir,
    dev: params.dev,
    stable: params.stable,
    since: params.since,
  });
  const records = await collectCommitRecords({
    repoDir,
    repoName: params.repoName,
    stableBranch: params.stable,
    range,
    onProgress: params.onProgress,
  });
  const learned = await learnVerdictModel({
    repoDir,
    repoName: params.repoName,
    dev: params.dev,
    stable: params.stable,
    range,
    modelPath: join(params.outDir, "model.json"),
    refit: params.refit,
    historyBranches: params.historyBranches,
    historyLimit: params.historyLimit ?? 3,
    waitDays: params.waitDays,
    nowMs: params.nowMs,
    fit: params.fit,
    onProgress: params.onProgress,
  });
  params.onProgress(learned.note);
  const llm = "client" in params.llm ? params.llm : undefined;
  const llmNote = llm
    ? `LLM: ${llm.model} writes the reasons; where it disagrees with the verdict model the verdict is U.`
    : `No LLM: ${"missing" in params.llm ? params.llm.missing : ""}. Reasons come from the verdict model's weights and the message.`;
  const cache = await openVerdictCache(join(params.outDir, "verdict-cache.json"));
  const forkedAt = new Map([[params.stable, Date.parse(range.mergeBaseDate)]]);
  const pending = records.filter((record) => !record.backported);
  const keyOf = (record: CommitRecord) =>
    cacheKey({
      sha: record.sha,
      modelVersion: learned.version,
      promptVersion: llm?.prompts.version ?? "none",
      llmModel: llm?.model ?? "none",
    });
  const toEvaluate = pending.filter((record) => cache.get(keyOf(record)) === undefined);
  params.onProgress(
    `${records.length} commits: ${records.length - pending.length} already on ${params.stable}, ${pending.length - toEvaluate.length} judged before, ${toEvaluate.length} to judge`,
  );
  const decisions = new Map<string, Decision>();
  let evaluated = 0;
  let lastReport = Date.now();
  for (const record of toEvaluate) {
    const commit = withStableAge(record, forkedAt);
    const judgement = learned.model
      ? applyVerdictModel(learned.model, extractCommitFeatures(commit))
      : undefined;
    let llmVerdict: LlmVerdict | undefined;
    // Without an LLM the report's header says so once; a failure on one commit is said in its row.
    let llmMissing: string | undefined;
    if (llm) {
      try {
        llmVerdict = await askLlmForVerdict({
          client: llm.client,
          model: llm.model,
          prompts: llm.prompts,
          context: { repo: params.repoName, dev: params.dev, stable: params.stable },
          commit,
        });
      } catch (error) {
        // One unreadable answer should not stop the review; the reason says what happened.
        llmMissing = `The LLM failed on this commit: ${(error as Error).message}`;
      }
    }
    const decision = decideVerdict({
      model:
        judgement && learned.model
          ? { judgement, threshold: learned.model.backport.threshold }
          : undefined,
      llm: llmVerdict,
      missing: { model: learned.model ? undefined : learned.note, llm: llmMissing },
      hints: findMessageHints(record.message),
    });
    decisions.set(record.sha, decision);
    // A failed LLM answer is not cached: the next run asks again.
    if (!llm || llmVerdict) cache.set(keyOf(record), decision);
    evaluated += 1;
    if (evaluated % FLUSH_EVERY === 0) await cache.flush();
    if (Date.now() - lastReport > 5_000 || evaluated === toEvaluate.length) {
      params.onProgress(`judged ${evaluated}/${toEvaluate.length} new commits`);
      lastReport = Date.now();
    }
  }
  await cache.flush();
  const rows: TriageRow[] = records.map((record) => {
    if (record.backported) {
      const days = record.days_to_backport;
      return {
        record,
        verdict: "yes",
        backported: true,
        reason: `Already on ${params.stable} as ${record.backport_sha?.slice(0, 8)} (${record.backport_via === "patch-id" ? "same patch" : "cherry-pick note"}${days === null ? "" : `, ${Math.round(days)} days after it landed`}).`,
      };
    }
    const decided = decisions.get(record.sha) ?? cache.get(keyOf(record));
    if (!decided) throw new Error(`no verdict for ${record.sha}: this is a bug`);
    return { record, verdict: decided.verdict, backported: false, reason: decided.reason };
  });
  return {
    rows,
    modelNote: learned.note,
    llmNote,
    counts: {
      commits: records.length,
      backported: records.length - pending.length,
      cached: pending.length - toEvaluate.length,
      evaluated,
    },
    mergeBaseSha: range.mergeBaseSha,
  };
}
