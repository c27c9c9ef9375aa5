import type { TextEvaluation, TextSystemScores } from "./evaluation-scores.js";
import type { ScoreSummary } from "./run-scorer.js";

type Ran = Extract<TextSystemScores, { ran: true }>;

/** A figure with its bootstrap interval: `0.21 [0.15, 0.27]`; n/a when there is none. */
function withInterval(
  value: number | null | undefined,
  interval: readonly [number, number] | null | undefined,
  digits: number,
): string {
  if (value === null || value === undefined) return "n/a";
  const shown = value.toFixed(digits);
  return interval
    ? `${shown} [${interval[0].toFixed(digits)}, ${interval[1].toFixed(digits)}]`
    : shown;
}

const ROWS: { title: string; cell: (scores: ScoreSummary) => string }[] = [
  {
    title: "embedding cosine [95% CI]",
    cell: (s) => withInterval(s.embed_sim, s.embed_sim_ci, 3),
  },
  {
    title: "embedding cosine, shuffled gold (floor) [95% CI]",
    cell: (s) => withInterval(s.embed_sim_floor, s.embed_sim_floor_ci, 3),
  },
  { title: "chrF [95% CI]", cell: (s) => withInterval(s.chrf, s.chrf_ci, 1) },
  { title: "chrF, shuffled gold (floor)", cell: (s) => withInterval(s.chrf_floor, undefined, 1) },
  {
    title: "BLEU-4 (CodeReviewer, ×100) [95% CI]",
    cell: (s) => withInterval(s.bleu, s.bleu_ci, 2),
  },
  { title: "BLEU-4, shuffled gold (floor)", cell: (s) => withInterval(s.bleu_floor, undefined, 2) },
  { title: "pairs compared (both non-empty)", cell: (s) => String(s.n_text) },
];

/**
 * The report's "what" section: one column per system (the baselines last), each figure with its
 * bootstrap interval and its shuffled floor, and how many hunks got no comment.
 */
export function buildTextTable(params: { text: TextEvaluation; reviewerLogin: string }): string[] {
  const { text } = params;
  const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|");
  const row = (label: string, cells: string[]) =>
    `| ${[label, ...cells].map(escapeCell).join(" | ")} |`;
  const cells = (cell: (system: Ran) => string) =>
    text.systems.map((system) => (system.ran ? cell(system) : "—"));
  const header = text.systems.map((system) =>
    system.ran
      ? system.model
        ? `${system.title}<br>\`${system.model}\``
        : system.title
      : `${system.title}<br>${system.reason}`,
  );
  return [
    `## What they would say: a comment asked on each of the ${text.pairs} hunks ${params.reviewerLogin} commented on`,
    "",
    "Every system was asked for a comment on every held-out hunk the reviewer commented on (decoding held to a comment, apart from the where decision above; where its where answer was already a comment, that answer is its comment: the same request under greedy decoding gives the same text, so it is not asked twice); retrieval-only answers with the nearest precedent's comment, the last column with the reviewer's most frequent comment. A figure means something only by how far it clears its floor and the baselines; the intervals are bootstrap 95% intervals over the hunks.",
    "",
    row("metric", header),
    `|---|${text.systems.map(() => "---:").join("|")}|`,
    ...ROWS.map((metric) =>
      row(
        metric.title,
        cells((system) => metric.cell(system.scores)),
      ),
    ),
    row(
      "hunks without a comment",
      cells((system) =>
        String(Object.values(system.failedHunks).reduce((sum, count) => sum + count, 0)),
      ),
    ),
    ...(text.systems.some((system) => system.ran && system.fromWhereAnswers !== undefined)
      ? [
          row(
            "comments from its where answers (not asked again)",
            cells((system) =>
              system.fromWhereAnswers === undefined ? "—" : String(system.fromWhereAnswers),
            ),
          ),
        ]
      : []),
    ...(text.systems.some((system) => system.ran && system.chosenFrom !== undefined)
      ? [
          row(
            "consensus chose: greedy answer / a sample / a precedent (sampling failed)",
            cells((system) => {
              const from = system.chosenFrom;
              if (!from) return "—";
              return `${from.greedy ?? 0} / ${from.sample ?? 0} / ${from.precedent ?? 0} (${from["greedy (sampling failed)"] ?? 0})`;
            }),
          ),
        ]
      : []),
    "",
    ...(text.sampling
      ? [
          `A system marked *(consensus)* answers as the review does: its greedy answer, ${text.sampling.n} answers sampled at temperature ${text.sampling.temperature} (top-p ${text.sampling.topP}) and the hunk's nearest precedents are candidates, and the one that agrees most with the others (mean sentence chrF) is its comment; its greedy answer alone is scored in the column *greedy answer alone*.`,
          "",
        ]
      : []),
  ];
}
