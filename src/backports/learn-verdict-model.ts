import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { buildTrainingRows, hasEnoughHistory } from "./build-training-rows.js";
import { collectBranchSeries } from "./collect-branch-series.js";
import { collectCommitRecords } from "./collect-commit-records.js";
import type { CommitRecord } from "./commit-record.js";
import { findHistoryBranches } from "./find-history-branches.js";
import type { FeatureRow } from "./fit-verdict-model.js";
import type { CommitRange } from "./resolve-commit-range.js";
import { parseVerdictModel, type VerdictModel } from "./verdict-model.js";
import { writeFileAtomically } from "./write-file-atomically.js";

/** The verdict model of a triage run, or why there is none. */
export interface LearnedModel {
  model?: VerdictModel | undefined;
  /** Its version (a hash of the model), part of every cached verdict's key; "none" without one. */
  version: string;
  /** For the report: what it learned from, or why it could not learn. */
  note: string;
}

const savedNoteSchema = z.object({ note: z.string() });

/** The history a triage learns from: earlier stable branches, and the range before --since. */
async function collectHistory(params: {
  repoDir: string;
  repoName: string;
  dev: string;
  stable: string;
  range: CommitRange;
  historyBranches?: string[] | undefined;
  historyLimit: number;
  onProgress: (message: string) => void;
}): Promise<{ records: CommitRecord[]; sources: string[] }> {
  const branches =
    params.historyBranches ??
    (await findHistoryBranches({
      repoDir: params.repoDir,
      dev: params.dev,
      stable: params.stable,
      stableForkedAt: params.range.mergeBaseDate,
      limit: params.historyLimit,
    }));
  const records: CommitRecord[] = [];
  const sources: string[] = [];
  if (branches.length > 0) {
    records.push(
      ...(await collectBranchSeries({
        repoDir: params.repoDir,
        repoName: params.repoName,
        dev: params.dev,
        stables: branches,
        until: params.range.mergeBaseSha,
        skipBadBranches: true,
        onProgress: params.onProgress,
      })),
    );
    sources.push(...branches);
  }
  if (params.range.fromSha !== params.range.mergeBaseSha) {
    // The commits before --since were reviewed already: their fate on this branch is history too.
    records.push(
      ...(await collectCommitRecords({
        repoDir: params.repoDir,
        repoName: params.repoName,
        stableBranch: params.stable,
        range: { ...params.range, toSha: params.range.fromSha, fromSha: params.range.mergeBaseSha },
        onProgress: params.onProgress,
      })),
    );
    sources.push(`${params.stable} before --since`);
  }
  return { records, sources };
}

const versionOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 12);

/**
 * The triage's verdict model: the one saved in `modelPath` by an earlier run (so reruns keep
 * their cached verdicts), else one fitted now on the repository's own past, saved there. Without
 * enough history there is no model, and the note says why.
 */
export async function learnVerdictModel(params: {
  repoDir: string;
  repoName: string;
  dev: string;
  stable: string;
  range: CommitRange;
  modelPath: string;
  refit: boolean;
  historyBranches?: string[] | undefined;
  historyLimit: number;
  waitDays: number;
  nowMs: number;
  fit: (rows: FeatureRow[]) => Promise<VerdictModel>;
  onProgress: (message: string) => void;
}): Promise<LearnedModel> {
  if (!params.refit) {
    const saved = await readFile(params.modelPath, "utf8").catch(() => undefined);
    if (saved !== undefined) {
      const json: unknown = JSON.parse(saved);
      const model = parseVerdictModel(json, params.modelPath);
      const note = savedNoteSchema.safeParse(json).data?.note ?? "saved model";
      params.onProgress(
        `reusing the verdict model in ${params.modelPath} (--refit to learn again)`,
      );
      return { model, version: versionOf(saved), note };
    }
  }
  const { records, sources } = await collectHistory(params);
  const rows = buildTrainingRows({ records, cutoffMs: params.nowMs, waitDays: params.waitDays });
  const backported = rows.filter((row) => row.y === 1).length;
  const from = sources.length > 0 ? sources.join(", ") : "nothing";
  if (!hasEnoughHistory(rows)) {
    return {
      version: "none",
      note: `No verdict model: not enough history (${rows.length} earlier commits from ${from}, ${backported} backported; at least 5 backported and 5 not are needed). Name earlier stable branches with --history or start later with --since.`,
    };
  }
  const model = await params.fit(rows);
  const note = `Verdict model learned from ${rows.length} earlier commits of ${from} (${backported} backported).`;
  const saved = JSON.stringify({ ...model, note });
  await writeFileAtomically(params.modelPath, saved);
  return { model, version: versionOf(saved), note };
}
