import type { WhereEvaluation, WhereSystemFigures } from "./evaluate-where.js";

const percent = (share: number) => (share * 100).toFixed(1);

/** The table's rows below its header: a label and each system's cell. */
const WHERE_ROWS: [string, (system: WhereSystemFigures) => string][] = [
  ["comment-where F1 (%)", (system) => percent(system.f1)],
  ["comment precision (%)", (system) => percent(system.precision)],
  ["comment recall (%)", (system) => percent(system.recall)],
  ["PR-AUC (%)", (system) => percent(system.prauc)],
  ["hunks it speaks on", (system) => String(system.speaks)],
];

/**
 * The report's "where" section: the where-model, the size rule and always-comment on every hunk
 * of the held-out pull requests (F1, precision, recall, PR-AUC in %), or why it was not run.
 */
export function buildWhereTable(params: {
  where: WhereEvaluation;
  reviewerLogin: string;
}): string[] {
  const { where } = params;
  if (!where.ran) {
    return ["## Where they speak: the where-model", "", `Not evaluated: ${where.reason}.`, ""];
  }
  const row = (label: string, cells: string[]) =>
    `| ${[label, ...cells].map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
  const { systems } = where;
  return [
    `## Where they speak: the where-model on every hunk of ${where.heldOutPulls} held-out pull requests`,
    "",
    `Apart from the LLM: the where-model was fitted on the ${where.trainedOn.pulls} pull requests opened before the holdout (${where.trainedOn.positives} commented hunks, ${where.fitSeconds.toFixed(1)} s) and decided on all ${where.hunks} hunks of the held-out pull requests ${params.reviewerLogin} commented in (${where.commented} commented), one pull request at a time as a review does: ${where.rule}. The size rule and always-comment are scored on the same hunks; these hunks are not the table above's, so compare the rows here with each other.`,
    "",
    row(
      "metric",
      systems.map((system) => system.title),
    ),
    `|---|${systems.map(() => "---:").join("|")}|`,
    ...WHERE_ROWS.map(([label, cell]) => row(label, systems.map(cell))),
    "",
  ];
}
