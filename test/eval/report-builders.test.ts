import { describe, expect, it } from "vitest";
import { buildMarkdownReport } from "../../src/eval/build-markdown-report.js";
import { buildSvgChart } from "../../src/eval/build-svg-chart.js";
import { describeEvaluation } from "../../src/eval/describe-evaluation.js";
import { type EvaluationScores, METRIC_ROWS } from "../../src/eval/evaluation-scores.js";
import type { ScoreSummary } from "../../src/eval/run-scorer.js";

function summary(f1: number, similarity: number | null): ScoreSummary {
  return {
    n: 40,
    n_bleu: 12,
    bleu: 6.25,
    n_text: similarity === null ? 0 : 9,
    chrf: similarity === null ? null : 21.4,
    rouge_l: similarity === null ? null : 18.04,
    embed_sim: similarity,
    embed_sim_floor: similarity === null ? null : 0.3125,
    n_labelled: 40,
    comment_precision: 55.56,
    comment_recall: 68.75,
    comment_f1: f1,
    n_line: 8,
    line_within_3: 62.5,
  };
}

function scores(adapterRan: boolean): EvaluationScores {
  const ran = (id: "adapter" | "few-shot" | "zero-shot", scoresOf: ScoreSummary) => ({
    id,
    title: id,
    model: id === "adapter" ? "acme-shop-alice-v3" : "base<&>",
    ran: true as const,
    failedHunks: { "LLM timeout": 2 },
    commentsPredicted: 11,
    budget: "⌈0.3 × 40 hunks⌉ = 12 comments",
    scores: scoresOf,
  });
  return {
    name: "alice",
    dataset: "held out from alice's newest pull requests in acme/shop",
    reviewerLogin: "alice",
    repoFullName: "acme/shop",
    date: "2026-05-01",
    holdoutSize: 40,
    holdoutComments: 12,
    reviewerCommentRate: 0.3,
    baseModel: "base<&>",
    systems: [
      adapterRan
        ? ran("adapter", summary(61.2, 0.7149))
        : {
            id: "adapter",
            title: "adapter",
            model: null,
            ran: false,
            reason: "no adapter (pass --model <name>)",
          },
      ran("few-shot", summary(40, 0.5811)),
      ran("zero-shot", summary(22.5, null)),
    ],
  };
}

describe("describeEvaluation", () => {
  it.each([
    [scores(true), "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot"],
    [scores(false), "holdout: no adapter evaluated"],
  ])("quotes the adapter's holdout scores (%#)", (input, line) => {
    expect(describeEvaluation(input)).toBe(line);
  });
});

describe("buildMarkdownReport", () => {
  const markdown = buildMarkdownReport({ scores: scores(true), chartFile: "alice-2026-05-01.svg" });
  const rows = markdown.split("\n").filter((line) => line.startsWith("| "));

  it("has one column per system and one row per metric, n/a where the scorer had no figure", () => {
    expect(rows[0]).toBe(
      "| metric | adapter<br>`acme-shop-alice-v3` | few-shot<br>`base<&>` | zero-shot<br>`base<&>` |",
    );
    for (const metric of METRIC_ROWS) {
      expect(rows.some((row) => row.startsWith(`| ${metric.title}`))).toBe(true);
    }
    expect(rows).toContain("| comment-where F1 (%) | 61.2 | 40.0 | 22.5 |");
    expect(rows).toContain("| similarity (embedding cosine) | 0.71 | 0.58 | n/a |");
    expect(rows).toContain("| similarity floor (shuffled gold) | 0.31 | 0.31 | n/a |");
    expect(rows).toContain("| hunks without an answer | 2 | 2 | 2 |");
    expect(markdown).toContain("![Scores per system](alice-2026-05-01.svg)");
  });

  it("says why a column has no figures instead of inventing them", () => {
    const withoutAdapter = buildMarkdownReport({ scores: scores(false), chartFile: "c.svg" });
    expect(withoutAdapter).toContain("adapter<br>no adapter (pass --model <name>)");
    expect(withoutAdapter).toContain("| comment-where F1 (%) | — | 40.0 | 22.5 |");
  });
});

describe("buildSvgChart", () => {
  it("draws one labelled bar per system per metric, scaled by the metric's range", () => {
    const svg = buildSvgChart(scores(true));
    const bars = [
      ...svg.matchAll(
        /<rect class="bar" data-system="([^"]+)" data-metric="([^"]+)"[^>]*height="([\d.]+)"/g,
      ),
    ];
    expect(bars).toHaveLength(3 * METRIC_ROWS.length);
    const height = (system: string, metric: string) =>
      Number(bars.find((bar) => bar[1] === system && bar[2] === metric)?.[3]);
    // 61.2 % of the 160-pixel plot; a 0.7149 cosine as 71.49 % of it; no figure, no height.
    expect(height("adapter", "comment_f1")).toBe(97.9);
    expect(height("adapter", "embed_sim")).toBe(114.4);
    expect(height("zero-shot", "embed_sim")).toBe(0);
    expect(svg).toContain(">61.2</text>");
    expect(svg).toContain(">n/a</text>");
    // Model names are text, not markup.
    expect(svg).toContain("base&lt;&amp;&gt;");
    expect(svg).not.toContain("base<&>");
  });

  it("draws no bars for a system that was not run and says why in the legend", () => {
    const svg = buildSvgChart(scores(false));
    expect(svg).not.toContain('data-system="adapter"');
    expect(svg).toContain("adapter: no adapter (pass --model &lt;name&gt;)");
  });

  it("names a system without a model (a baseline) by its title alone", () => {
    const base = scores(true);
    const [first] = base.systems;
    if (!first?.ran) throw new Error("the fixture's first system ran");
    const svg = buildSvgChart({
      ...base,
      systems: [{ ...first, id: "always-comment", title: "always-comment", model: null }],
    });
    expect(svg).toContain('font-size="10">always-comment</text>');
    expect(svg).not.toContain("null");
  });
});
