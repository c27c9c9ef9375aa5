import type { LlmVerdict, Verdict } from "./ask-llm-for-verdict.js";
import type { ModelJudgement } from "./verdict-model.js";

/** A commit's final verdict and the reason the report shows. */
export interface Decision {
  verdict: Verdict;
  reason: string;
}

const FEATURE_WORDS: [RegExp, string][] = [
  [/^s:(.*)$/, 'subject word "$1"'],
  [/^s2:(.*)_(.*)$/, 'subject words "$1 $2"'],
  [/^b:(.*)$/, 'message word "$1"'],
  [/^tag:\(none\)$/, "no subject tag"],
  [/^tag:(.*)$/, 'subject tag "$1:"'],
  [/^tagword:(.*)$/, 'tag word "$1"'],
  [/^trailer:(.*)$/, '"$1:" trailer'],
  [/^dir1:\(root\)$/, "touches top-level files"],
  [/^dir[12]:(.*)$/, "touches $1/"],
  [/^ext:\(none\)$/, "files without extension"],
  [/^ext:(.*)$/, ".$1 files"],
  [/^only:tests$/, "tests only"],
  [/^only:docs$/, "docs only"],
  [/^touches:tests$/, "touches tests"],
  [/^touches:docs$/, "touches docs"],
  [/^ref:issue$/, "references an issue"],
  [/^ref:commit$/, "references a commit"],
  [/^body:empty$/, "no message body"],
  [/^size:(files|insertions|deletions)$/, "number of $1"],
  [/^size:(.*)$/, "$1 change"],
  [/^stable:age$/, "age of the stable branch"],
  [/^stable:month$/, "stable branch under a month old"],
  [/^stable:quarter$/, "stable branch 1–3 months old"],
  [/^stable:year$/, "stable branch 3–12 months old"],
  [/^stable:older$/, "stable branch over a year old"],
];

/** A feature's name as a maintainer reads it ("s:panic" → subject word "panic"). */
export function describeFeature(name: string): string {
  for (const [pattern, words] of FEATURE_WORDS) {
    if (pattern.test(name)) return name.replace(pattern, words);
  }
  return name;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  yes: "backport now",
  wait: "backport after observation",
  no: "no backport",
  uncertain: "uncertain",
};

/** The model's judgement in one sentence: its call, its probability, the features that weighed. */
export function describeModelJudgement(judgement: ModelJudgement, threshold: number): string {
  // The stable branch's age is the same for every commit of a run: it says nothing about this one.
  const weighed = judgement.topFeatures
    .filter((feature) => !feature.name.startsWith("stable:"))
    .slice(0, 4)
    .map(
      (feature) =>
        `${describeFeature(feature.name)} (${feature.contribution >= 0 ? "+" : ""}${feature.contribution.toFixed(2)})`,
    )
    .join(", ");
  return `Verdict model: ${VERDICT_WORDS[judgement.verdict]} (p=${judgement.pBackport.toFixed(2)}, threshold ${threshold.toFixed(2)}${judgement.verdict === "no" ? "" : `, p(wait)=${judgement.pWait.toFixed(2)}`}); weighed most: ${weighed || "nothing beyond the base rate"}.`;
}

const positive = (verdict: Verdict) => verdict === "yes" || verdict === "wait";

/**
 * Combines the verdict model and the LLM: where both speak and disagree on backporting at all
 * (or the LLM is unsure), the verdict is "uncertain" and the reason gives both; where they agree,
 * the model's yes/wait stands with the LLM's reason. One of them alone decides alone, and the
 * reason says which is missing; with neither, the verdict is "uncertain".
 */
export function decideVerdict(params: {
  model?: { judgement: ModelJudgement; threshold: number } | undefined;
  llm?: LlmVerdict | undefined;
  /** Why there is no model or no LLM, for the reason ("no LLM configured", …). */
  missing: { model?: string | undefined; llm?: string | undefined };
  hints: string[];
}): Decision {
  const { model, llm } = params;
  const hintLine =
    params.hints.length > 0 ? `Message: ${params.hints.map((hint) => `"${hint}"`).join(" ")}` : "";
  const lines = (...parts: string[]) => parts.filter((part) => part !== "").join("\n");
  if (model && llm) {
    const modelLine = describeModelJudgement(model.judgement, model.threshold);
    if (
      llm.verdict === "uncertain" ||
      positive(llm.verdict) !== positive(model.judgement.verdict)
    ) {
      return {
        verdict: "uncertain",
        reason: lines(
          `The LLM says ${VERDICT_WORDS[llm.verdict]}: ${llm.reason}`,
          modelLine,
          "They disagree: ask the author or decide.",
        ),
      };
    }
    return {
      verdict: model.judgement.verdict,
      reason: lines(llm.reason, `${modelLine} The LLM agrees.`),
    };
  }
  if (model) {
    return {
      verdict: model.judgement.verdict,
      reason: lines(
        describeModelJudgement(model.judgement, model.threshold),
        hintLine,
        params.missing.llm ?? "",
      ),
    };
  }
  if (llm) {
    return {
      verdict: llm.verdict,
      reason: lines(
        llm.reason,
        `The LLM alone decided: ${params.missing.model ?? "no verdict model"}.`,
      ),
    };
  }
  return {
    verdict: "uncertain",
    reason: lines(
      `No verdict: ${params.missing.model ?? "no verdict model"}, and ${params.missing.llm ?? "no LLM"}.`,
      hintLine,
    ),
  };
}
