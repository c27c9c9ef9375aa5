import { buildTextTable } from "./build-text-table.js";
import { buildWhereTable } from "./build-where-table.js";
import {
  type EvaluationScores,
  formatMetric,
  METRIC_ROWS,
  metricValue,
  type SystemScores,
} from "./evaluation-scores.js";

/**
 * The report people read: one column per system (adapter, few-shot, zero-shot), one row per
 * metric with the shuffled-gold floor as its own row, the counts behind the figures, one line on
 * how to read it, and the chart (`chartFile`, beside the report).
 */
export function buildMarkdownReport(params: {
  scores: EvaluationScores;
  chartFile: string;
}): string {
  const { scores } = params;
  const systems = scores.systems;
  const cells = (cell: (system: Extract<SystemScores, { ran: true }>) => string) =>
    systems.map((system) => (system.ran ? cell(system) : "—"));
  const row = (label: string, values: string[]) =>
    `| ${[label, ...values].map(escapeCell).join(" | ")} |`;
  const header = systems.map((system) =>
    system.ran
      ? system.model
        ? `${system.title}<br>\`${system.model}\``
        : system.title
      : `${system.title}<br>${system.reason}`,
  );
  const metricRows = METRIC_ROWS.map((metric) =>
    row(
      metric.title,
      cells((system) => formatMetric(metricValue(system.scores, metric.key), metric.scale)),
    ),
  );
  const failed = (system: Extract<SystemScores, { ran: true }>) =>
    String(Object.values(system.failedHunks).reduce((sum, count) => sum + count, 0));
  return [
    `# Evaluation: ${heading(scores)}, ${scores.date}`,
    "",
    `${scores.holdoutSize} hunks: ${scores.dataset} (${scores.holdoutComments} commented). Each system's comment budget is in the table.`,
    "",
    row("metric", header),
    `|---|${systems.map(() => "---:").join("|")}|`,
    ...metricRows,
    row(
      "hunks scored",
      cells((system) => String(system.scores.n)),
    ),
    row(
      "comment budget",
      cells((system) => system.budget),
    ),
    row(
      "comments predicted",
      cells((system) => String(system.commentsPredicted)),
    ),
    row(
      "comments compared (both non-empty)",
      cells((system) => String(system.scores.n_text)),
    ),
    row("hunks without an answer", cells(failed)),
    "",
    `How to read it: higher is better; F1, precision and recall ask whether a system comments on the hunks ${scores.reviewerLogin ?? "the gold data"} commented on, and similarity only means something by how far it clears its shuffled-gold floor.`,
    "",
    ...(scores.text
      ? buildTextTable({
          text: scores.text,
          reviewerLogin: scores.reviewerLogin ?? "the gold data",
        })
      : []),
    ...(scores.where
      ? buildWhereTable({
          where: scores.where,
          reviewerLogin: scores.reviewerLogin ?? "the gold data",
        })
      : []),
    `![Scores per system](${params.chartFile})`,
    "",
  ].join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function heading(scores: EvaluationScores): string {
  if (scores.reviewerLogin && scores.repoFullName) {
    return `${scores.reviewerLogin} in ${scores.repoFullName}`;
  }
  return scores.name;
}
