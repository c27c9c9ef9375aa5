import {
  type EvaluationScores,
  formatMetric,
  METRIC_ROWS,
  metricValue,
} from "./evaluation-scores.js";

const NAMED_COLOURS: Record<string, string> = {
  adapter: "#1f77b4",
  "few-shot": "#ff7f0e",
  "zero-shot": "#7f7f7f",
};
const OTHER_COLOURS = ["#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const BAR_WIDTH = 20;
const GROUP_GAP = 24;
const PLOT_TOP = 56;
const PLOT_HEIGHT = 160;
const LEFT = 16;
const LEGEND_ENTRY_WIDTH = 260;
const LEGEND_ROW_HEIGHT = 14;

/**
 * A small grouped bar chart as SVG text: one group per metric, one labelled bar per system that
 * ran (a figure the scorer could not compute is a zero-height bar labelled n/a). Percentages are
 * drawn on 0–100, cosines on 0–1; the labels give the real figures.
 */
export function buildSvgChart(scores: EvaluationScores): string {
  const others = scores.systems.filter((system) => !(system.id in NAMED_COLOURS));
  const colourOf = (id: string) =>
    NAMED_COLOURS[id] ??
    OTHER_COLOURS[others.findIndex((system) => system.id === id) % OTHER_COLOURS.length] ??
    "#000000";
  const ran = scores.systems.filter((system) => system.ran);
  const groupWidth = Math.max(1, ran.length) * BAR_WIDTH + GROUP_GAP;
  const width = LEFT * 2 + METRIC_ROWS.length * groupWidth;
  // The legend wraps to as many rows as the chart's width needs; the plot moves down with it.
  const legendPerRow = Math.max(1, Math.floor((width - 2 * LEFT) / LEGEND_ENTRY_WIDTH));
  const legendRows = Math.max(1, Math.ceil(scores.systems.length / legendPerRow));
  const baseline = PLOT_TOP + (legendRows - 1) * LEGEND_ROW_HEIGHT + PLOT_HEIGHT;
  const height = baseline + 40;
  const parts: string[] = [];
  METRIC_ROWS.forEach((metric, metricIndex) => {
    const groupX = LEFT + metricIndex * groupWidth + GROUP_GAP / 2;
    ran.forEach((system, systemIndex) => {
      if (!system.ran) return;
      const value = metricValue(system.scores, metric.key);
      const share = value === undefined ? 0 : value / (metric.scale === "percent" ? 100 : 1);
      const barHeight = Math.round(Math.min(1, Math.max(0, share)) * PLOT_HEIGHT * 10) / 10;
      const x = groupX + systemIndex * BAR_WIDTH;
      const y = baseline - barHeight;
      parts.push(
        `<rect class="bar" data-system="${escapeXml(system.id)}" data-metric="${metric.key}" x="${x}" y="${y}" width="${BAR_WIDTH - 2}" height="${barHeight}" fill="${colourOf(system.id)}"/>`,
        `<text x="${x + (BAR_WIDTH - 2) / 2}" y="${y - 3}" font-size="8" text-anchor="middle">${formatMetric(value, metric.scale)}</text>`,
      );
    });
    const centre = groupX + (ran.length * BAR_WIDTH) / 2;
    parts.push(
      `<text x="${centre}" y="${baseline + 14}" font-size="10" text-anchor="middle">${escapeXml(metric.short)}</text>`,
    );
  });
  const legend = scores.systems.map((system, index) => {
    const x = LEFT + (index % legendPerRow) * LEGEND_ENTRY_WIDTH;
    const y = 28 + Math.floor(index / legendPerRow) * LEGEND_ROW_HEIGHT;
    const label = !system.ran
      ? `${system.title}: ${system.reason}`
      : system.model
        ? `${system.title}: ${system.model}`
        : system.title;
    return [
      `<rect x="${x}" y="${y}" width="10" height="10" fill="${system.ran ? colourOf(system.id) : "none"}" stroke="${colourOf(system.id)}"/>`,
      `<text x="${x + 14}" y="${y + 9}" font-size="10">${escapeXml(truncate(label, 44))}</text>`,
    ].join("");
  });
  const who =
    scores.reviewerLogin && scores.repoFullName
      ? `${scores.reviewerLogin} in ${scores.repoFullName}`
      : scores.name;
  const title = `Scores of ${who}, ${scores.date}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${LEFT}" y="16" font-size="12" font-weight="bold">${escapeXml(title)}</text>`,
    ...legend,
    `<line x1="${LEFT}" y1="${baseline}" x2="${width - LEFT}" y2="${baseline}" stroke="#333"/>`,
    ...parts,
    `<text x="${LEFT}" y="${height - 6}" font-size="9" fill="#555">Bars: % on 0–100; similarity on 0–1. Higher is better.</text>`,
    "</svg>",
    "",
  ].join("\n");
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
