import { escapeHtml } from "../shared/escape-html.js";
import type { Verdict } from "./ask-llm-for-verdict.js";
import { linkReferences } from "./link-references.js";
import { REPORT_SCRIPT } from "./report-script.js";
import { REPORT_STYLE } from "./report-style.js";

/** One commit of the report. */
export interface ReportRow {
  sha: string;
  subject: string;
  authorDate: string;
  authorEmail: string;
  verdict: Verdict;
  reason: string;
  backported: boolean;
  /** Set in bold: the subject marks a bug or doc fix (see marksFix). */
  fix: boolean;
}

export interface ReportInput {
  repo: string;
  dev: string;
  stable: string;
  generatedAt: string;
  /** The repository's web address, for commit and issue links; without it nothing is linked. */
  webUrl?: string | undefined;
  /** Lines about the verdict model and the LLM (or their absence). */
  notes: string[];
  /** Oldest first. */
  rows: ReportRow[];
}

const LETTER: Record<Verdict, "n" | "u" | "w" | "y"> = {
  no: "n",
  uncertain: "u",
  wait: "w",
  yes: "y",
};
const CHOICES = [
  ["n", "N", "no backport"],
  ["u", "U", "uncertain: ask"],
  ["w", "W", "backport after observation"],
  ["y", "Y", "backport now"],
] as const;

/** The author's short address: the part before "@", without GitHub's numeric noreply prefix. */
export function shortAuthor(email: string): string {
  return (email.split("@")[0] ?? email).replace(/^\d+\+/, "");
}

/** Where the review starts: the row after the last already-backported commit (1-based). */
export function findStartIndex(rows: ReportRow[]): number {
  let last = 0;
  for (const [index, row] of rows.entries()) if (row.backported) last = index + 1;
  return Math.min(last + 1, rows.length);
}

function cidLists(rows: ReportRow[], start: number): string {
  const lists: Record<"y" | "w" | "u" | "n", string[]> = { y: [], w: [], u: [], n: [] };
  rows.forEach((row, index) => {
    if (!row.backported && index + 1 >= start) lists[LETTER[row.verdict]].push(row.sha);
  });
  return (["y", "w", "u", "n"] as const)
    .map((key) => `cid_${key}=( ${lists[key].join(" ")}${lists[key].length ? " " : ""})`)
    .join("\n");
}

function renderRow(row: ReportRow, index: number, start: number, webUrl?: string): string {
  const number = index + 1;
  const sha = escapeHtml(row.sha);
  const link = (text: string) =>
    webUrl ? `<a href="${escapeHtml(webUrl)}/commit/${sha}">${text}</a>` : text;
  const subject = link(escapeHtml(row.subject));
  const letter = LETTER[row.verdict];
  const verdicts = row.backported
    ? "backported"
    : CHOICES.map(
        ([value, label, title]) =>
          `<label class="v${value}" title="${title}"><input type="radio" name="v${number}" value="${value}"${value === letter ? " checked" : ""}>${label}</label>`,
      ).join("");
  const classes = ["commit", row.backported ? "backported" : `v-${letter}`];
  return `<tr id="c${number}" class="${classes.join(" ")}" data-index="${number}" data-sha="${sha}">
<td class="num">${number}</td>
<td><input type="radio" name="start" class="start" value="${number}" title="start here"${number === start ? " checked" : ""}></td>
<td class="id">${link(sha.slice(0, 8))}</td>
<td class="date">${escapeHtml(row.authorDate.slice(0, 10))}</td>
<td class="subject${row.fix ? " fix" : ""}">${subject}</td>
<td class="author">${escapeHtml(shortAuthor(row.authorEmail))}</td>
<td class="verdicts">${verdicts}</td>
<td class="reason">${linkReferences(row.reason, webUrl)}</td>
</tr>`;
}

/**
 * The triage report: one self-contained HTML page (inline style and script; links to commits and
 * issues are the only addresses in it) that opens from disk. Every text from a commit or an LLM
 * is escaped. See docs/backports/README.md for what a maintainer does with it.
 */
export function renderBackportsReport(input: ReportInput): string {
  const webUrl = input.webUrl?.replace(/\/+$/, "");
  const start = findStartIndex(input.rows);
  const counts = { n: 0, u: 0, w: 0, y: 0 };
  for (const row of input.rows) if (!row.backported) counts[LETTER[row.verdict]] += 1;
  const backported = input.rows.filter((row) => row.backported).length;
  const title = `Backports ${input.dev} → ${input.stable} — ${input.repo}`;
  const toggles = CHOICES.map(
    ([value, label, words]) =>
      `<label class="v${value}"><input type="checkbox" class="show" data-verdict="${value}" checked> ${label} ${words} (<span class="count" data-verdict="${value}">${counts[value]}</span>)</label>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<div class="notes">
<p>${input.rows.length} commits since the merge base, ${backported} already on ${escapeHtml(input.stable)}; generated ${escapeHtml(input.generatedAt)}.</p>
${input.notes.map((note) => `<p>${escapeHtml(note)}</p>`).join("\n")}
</div>
<nav class="controls">
${toggles}
<label><input type="checkbox" id="show-backported" checked> already backported (${backported})</label>
<button type="button" id="all">All</button>
</nav>
</header>
<table id="commits">
<thead><tr><th>#</th><th title="start the review here">start</th><th>commit</th><th>date</th><th>subject</th><th>author</th><th>N U W Y</th><th>reason</th></tr></thead>
<tbody>
${input.rows.map((row, index) => renderRow(row, index, start, webUrl)).join("\n")}
</tbody>
</table>
<section>
<h2>Cherry-pick</h2>
<p>From the start row on; then <code>git cherry-pick -sx \${cid_y[@]}</code>.</p>
<textarea id="cids" rows="6" readonly>${escapeHtml(cidLists(input.rows, start))}</textarea>
</section>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
