import { buildTrainingRows, DEFAULT_WAIT_DAYS, hasEnoughHistory } from "./build-training-rows.js";
import {
  type CommitRecord,
  findStableBranchDates,
  landedAt,
  withStableAge,
} from "./commit-record.js";
import { extractCommitFeatures } from "./extract-commit-features.js";
import type { FeatureRow } from "./fit-verdict-model.js";
import { bugfixRuleSaysBackport, keywordRuleSaysBackport } from "./one-line-rules.js";
import { type BinaryScores, scoreF1 } from "./score-f1.js";
import { sliceByTime } from "./slice-by-time.js";
import { applyVerdictModel, type VerdictModel } from "./verdict-model.js";

/** One judged commit of the bench. */
export interface BenchJudgement {
  slice: number;
  record: CommitRecord;
  actual: boolean;
  /** The model's verdict, or the keyword rule's where the slice had no learned history. */
  model: "yes" | "wait" | "no";
  pBackport: number | null;
  keyword: boolean;
  bugfix: boolean;
  llm?: "yes" | "wait" | "no" | "uncertain" | undefined;
}

export interface BenchResult {
  judgements: BenchJudgement[];
  slices: {
    index: number;
    commits: number;
    from: string;
    to: string;
    trainedOn: number;
    learned: boolean;
  }[];
  model: BinaryScores;
  keyword: BinaryScores;
  bugfix: BinaryScores;
  llm?: BinaryScores;
}

const isPositive = (verdict: string | undefined) => verdict === "yes" || verdict === "wait";

/**
 * The time-ordered bench: the commits are cut into `sliceCount` consecutive slices; each slice is
 * judged by a model fitted (by `fit`) only on commits that landed before the slice began, with
 * labels as they stood then. A slice with too little history is judged by the keyword rule alone
 * and says so (`learned: false`).
 */
export async function runBackportsBench(params: {
  records: CommitRecord[];
  sliceCount: number;
  waitDays?: number;
  fit: (rows: FeatureRow[]) => Promise<VerdictModel>;
  askLlm?: (record: CommitRecord) => Promise<"yes" | "wait" | "no" | "uncertain">;
  onSlice?: (summary: BenchResult["slices"][number]) => void;
}): Promise<BenchResult> {
  const slices = sliceByTime(params.records, params.sliceCount);
  const judgements: BenchJudgement[] = [];
  const branchDates = findStableBranchDates(params.records);
  const summaries: BenchResult["slices"] = [];
  for (const [index, slice] of slices.entries()) {
    const first = slice[0] as CommitRecord;
    const last = slice[slice.length - 1] as CommitRecord;
    const cutoffMs = landedAt(first);
    const rows = buildTrainingRows({
      records: params.records,
      cutoffMs,
      waitDays: params.waitDays ?? DEFAULT_WAIT_DAYS,
    });
    const model = hasEnoughHistory(rows) ? await params.fit(rows) : undefined;
    for (const record of slice) {
      const keyword = keywordRuleSaysBackport(record.message);
      const judged = model
        ? applyVerdictModel(model, extractCommitFeatures(withStableAge(record, branchDates)))
        : undefined;
      judgements.push({
        slice: index + 1,
        record,
        actual: record.backported,
        model: judged?.verdict ?? (keyword ? "yes" : "no"),
        pBackport: judged?.pBackport ?? null,
        keyword,
        bugfix: bugfixRuleSaysBackport(record.subject),
        llm: params.askLlm ? await params.askLlm(record) : undefined,
      });
    }
    const summary = {
      index: index + 1,
      commits: slice.length,
      from: new Date(cutoffMs).toISOString().slice(0, 10),
      to: new Date(landedAt(last)).toISOString().slice(0, 10),
      trainedOn: model ? rows.length : 0,
      learned: model !== undefined,
    };
    summaries.push(summary);
    params.onSlice?.(summary);
  }
  const actual = judgements.map((judgement) => judgement.actual);
  return {
    judgements,
    slices: summaries,
    model: scoreF1(
      judgements.map((judgement) => isPositive(judgement.model)),
      actual,
    ),
    keyword: scoreF1(
      judgements.map((judgement) => judgement.keyword),
      actual,
    ),
    bugfix: scoreF1(
      judgements.map((judgement) => judgement.bugfix),
      actual,
    ),
    ...(params.askLlm
      ? {
          llm: scoreF1(
            judgements.map((judgement) => isPositive(judgement.llm)),
            actual,
          ),
        }
      : {}),
  };
}
