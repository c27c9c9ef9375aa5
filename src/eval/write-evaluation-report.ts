import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildMarkdownReport } from "./build-markdown-report.js";
import { buildSvgChart } from "./build-svg-chart.js";
import type { EvaluationScores } from "./evaluation-scores.js";

/** Paths of one evaluation's report files. */
export interface ReportFiles {
  json: string;
  markdown: string;
  svg: string;
}

/**
 * Writes `<name>-<date>.json` (every figure), `.md` (the table, linking the chart) and `.svg`
 * (the chart) to `outputDir`, creating it. A rerun on the same day replaces that day's files.
 */
export async function writeEvaluationReport(params: {
  scores: EvaluationScores;
  outputDir: string;
}): Promise<ReportFiles> {
  const { scores, outputDir } = params;
  const base = `${scores.name.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${scores.date}`;
  const files: ReportFiles = {
    json: join(outputDir, `${base}.json`),
    markdown: join(outputDir, `${base}.md`),
    svg: join(outputDir, `${base}.svg`),
  };
  await mkdir(outputDir, { recursive: true });
  await Promise.all([
    writeFile(files.json, `${JSON.stringify(scores, null, 2)}\n`),
    writeFile(files.markdown, buildMarkdownReport({ scores, chartFile: `${base}.svg` })),
    writeFile(files.svg, buildSvgChart(scores)),
  ]);
  return files;
}
