import { describe, expect, it } from "vitest";
import { buildMarkdownReport } from "../../src/eval/build-markdown-report.js";
import { buildSvgChart } from "../../src/eval/build-svg-chart.js";
import { describeEvaluation } from "../../src/eval/describe-evaluation.js";
import { type EvaluationScores, METRIC_ROWS } from "../../src/eval/evaluation-scores.js";
import type { ScoreSummary } from "../../src/eval/run-scorer.js";
import {
  flattenScores,
  ZERO_SHOT_NOT_RUN_AFTER_TRAINING,
} from "../../src/train/evaluate-new-adapter.js";

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

describe("buildSvgChart's legend", () => {
  it("wraps into rows so that every system's entry sits inside the chart, the plot below them", () => {
    const base = scores(true);
    const [first] = base.systems;
    if (!first?.ran) throw new Error("the fixture's first system ran");
    const baselines = ["always-comment", "size-rule-3", "where-model", "retrieval-only"].map(
      (id) => ({ ...first, id, title: id, model: null }),
    );
    const svg = buildSvgChart({ ...base, systems: [...base.systems, ...baselines] });
    const width = Number(svg.match(/<svg[^>]* width="(\d+)"/)?.[1]);
    const entries = [
      ...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="10">([^<]+)<\/text>/g),
    ].filter((entry) => !METRIC_ROWS.some((metric) => metric.short === entry[3]));
    expect(entries.map((entry) => entry[3])).toHaveLength(7);
    // Each entry's 44 characters fit between its start and the chart's right edge.
    for (const [, x] of entries) expect(Number(x) + 240).toBeLessThanOrEqual(width);
    const rows = new Set(entries.map((entry) => entry[2]));
    expect(rows.size).toBeGreaterThan(1);
    const lowestLegend = Math.max(...entries.map((entry) => Number(entry[2])));
    const tallestBarTop = Math.min(
      ...[...svg.matchAll(/<rect class="bar"[^>]* y="([\d.]+)"/g)].map((bar) => Number(bar[1])),
    );
    expect(lowestLegend).toBeLessThan(tallestBarTop);
  });
});

describe("the where-model in the report", () => {
  const where: NonNullable<EvaluationScores["where"]> = {
    ran: true,
    heldOutPulls: 4,
    hunks: 60,
    commented: 9,
    trainedOn: { rows: 500, pulls: 40, positives: 50, commentedPulls: 20 },
    rule: "threshold P ≥ 0.250 (cv): speaks on 10 of 60 held-out hunks",
    fitSeconds: 2.5,
    systems: [
      {
        id: "where-model",
        title: "where-model",
        precision: 0.5,
        recall: 0.5556,
        f1: 0.5263,
        prauc: 0.61,
        speaks: 10,
      },
      {
        id: "size-rule",
        title: "size rule (adds > 3 lines)",
        precision: 0.2,
        recall: 0.8889,
        f1: 0.3266,
        prauc: 0.4,
        speaks: 40,
      },
      {
        id: "always-comment",
        title: "always comment",
        precision: 0.15,
        recall: 1,
        f1: 0.2609,
        prauc: 0.15,
        speaks: 60,
      },
    ],
  };
  const withWhere = { ...scores(true), where };

  it("quotes its F1 beside the size rule's in the one-line summary", () => {
    expect(describeEvaluation(withWhere)).toBe(
      "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot, where F1 0.53 vs 0.33 size rule",
    );
    expect(describeEvaluation({ ...withWhere, where: { ran: false, reason: "x" } })).toBe(
      "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot",
    );
  });

  it("has its own table: where-model, size rule and always-comment on the same held-out hunks", () => {
    const markdown = buildMarkdownReport({ scores: withWhere, chartFile: "c.svg" });
    expect(markdown).toContain(
      "## Where they speak: the where-model on every hunk of 4 held-out pull requests",
    );
    expect(markdown).toContain("fitted on the 40 pull requests opened before the holdout");
    expect(markdown).toContain(
      "all 60 hunks of the held-out pull requests alice commented in (9 commented)",
    );
    expect(markdown).toContain(
      "| metric | where-model | size rule (adds > 3 lines) | always comment |",
    );
    expect(markdown).toContain("| comment-where F1 (%) | 52.6 | 32.7 | 26.1 |");
    expect(markdown).toContain("| comment precision (%) | 50.0 | 20.0 | 15.0 |");
    expect(markdown).toContain("| comment recall (%) | 55.6 | 88.9 | 100.0 |");
    expect(markdown).toContain("| PR-AUC (%) | 61.0 | 40.0 | 15.0 |");
    expect(markdown).toContain("| hunks it speaks on | 10 | 40 | 60 |");
    const notRun = buildMarkdownReport({
      scores: { ...withWhere, where: { ran: false, reason: "the history has no holdout" } },
      chartFile: "c.svg",
    });
    expect(notRun).toContain("Not evaluated: the history has no holdout.");
  });

  it("keeps its figures in the registry's flat scores as where.<system>.<figure>", () => {
    const flat = flattenScores(withWhere);
    expect(flat["where.where-model.f1"]).toBe(0.5263);
    expect(flat["where.size-rule.f1"]).toBe(0.3266);
    expect(flat["where.always-comment.recall"]).toBe(1);
    expect(flat["where.where-model.speaks"]).toBe(10);
    expect(Object.keys(flat).filter((key) => key.startsWith("where."))).toHaveLength(15);
    expect(flat["adapter.comment_f1"]).toBe(61.2);
  });
});

describe("an evaluation that left zero-shot out (the one after training)", () => {
  const reason = ZERO_SHOT_NOT_RUN_AFTER_TRAINING;
  const notRun = { id: "zero-shot", title: "zero-shot", model: null, ran: false as const, reason };
  const full = scores(true);
  const text = (fromWhereAnswers: number) => ({
    id: "adapter",
    title: "adapter",
    model: "acme-shop-alice-v3",
    ran: true as const,
    failedHunks: {},
    fromWhereAnswers,
    scores: summary(0, 0.7149),
  });
  const withoutZeroShot: EvaluationScores = {
    ...full,
    systems: [...full.systems.slice(0, 2), notRun],
    text: {
      pairs: 12,
      systems: [
        text(9),
        { ...text(7), id: "few-shot", title: "few-shot", model: "base" },
        notRun,
        {
          id: "retrieval-only",
          title: "retrieval-only (nearest precedent)",
          model: null,
          ran: true,
          failedHunks: {},
          scores: summary(0, 0.4),
        },
      ],
    },
  };

  it("says why in both tables, keeps the summary line, and puts no zero-shot figure in the registry or the chart", () => {
    const markdown = buildMarkdownReport({ scores: withoutZeroShot, chartFile: "c.svg" });
    const rows = markdown.split("\n").filter((line) => line.startsWith("| "));
    const headers = rows.filter((row) => row.startsWith("| metric |"));
    expect(headers[0]).toContain(`zero-shot<br>${reason}`);
    expect(headers[1]).toContain(`zero-shot<br>${reason}`);
    expect(rows).toContain("| comment-where F1 (%) | 61.2 | 40.0 | — |");
    expect(describeEvaluation(withoutZeroShot)).toBe(describeEvaluation(full));
    const flat = flattenScores(withoutZeroShot);
    expect(Object.keys(flat).filter((key) => key.includes("zero-shot"))).toEqual([]);
    expect(flat["few-shot.embed_sim"]).toBe(0.5811);
    expect(buildSvgChart(withoutZeroShot)).not.toContain('data-system="zero-shot"');
  });

  it("counts the comments 'what' took from each system's where answers", () => {
    const markdown = buildMarkdownReport({ scores: withoutZeroShot, chartFile: "c.svg" });
    expect(markdown).toContain(
      "| comments from its where answers (not asked again) | 9 | 7 | — | — |",
    );
    const asked = buildMarkdownReport({
      scores: {
        ...withoutZeroShot,
        text: {
          pairs: 12,
          systems: [(({ fromWhereAnswers: _asked, ...column }) => column)(text(0))],
        },
      },
      chartFile: "c.svg",
    });
    expect(asked).not.toContain("comments from its where answers");
  });
});
