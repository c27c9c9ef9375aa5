import { buildSvgChart } from "../eval/build-svg-chart.js";
import {
  type EvaluationScores,
  formatMetric,
  METRIC_ROWS,
  type SystemId,
  type SystemScores,
} from "../eval/evaluation-scores.js";
import type { ScoreSummary } from "../eval/run-scorer.js";
import type { RunStatus } from "../run/record-run-status.js";
import type { AdapterRecord } from "../train/adapter-registry.js";
import type { PersonaFeedback } from "./read-persona-feedback.js";
import type { PersonaSummary } from "./read-personas.js";
import { escapeHtml, plural, renderDate, renderRepoHeader, renderTime } from "./render-layout.js";

const SYSTEMS: readonly SystemId[] = ["adapter", "few-shot", "zero-shot"];

export interface PersonaView extends PersonaSummary {
  feedback: PersonaFeedback | undefined;
  /** Finished runs in this reviewer's style, newest first. */
  recentReviews: RunStatus[];
}

/** The body of `/dashboard/<owner>/<repo>/personas`. Figures only: never a prompt or training text. */
export function renderPersonasPage(params: {
  owner: string;
  repo: string;
  personas: PersonaView[];
  githubWebUrl: string;
}): string {
  const body =
    params.personas.length === 0
      ? `<p class="card muted">No persona trained in this repository yet. Mention the bot in a pull request (<code>@tech-lead-bot &lt;login&gt;</code>) to train one.</p>`
      : params.personas.map((persona) => renderPersona(persona, params)).join("\n");
  return `${renderRepoHeader({ ...params, current: "personas" })}
${body}`;
}

function renderPersona(
  persona: PersonaView,
  where: { owner: string; repo: string; githubWebUrl: string },
): string {
  const { current } = persona;
  const versions = persona.versions
    .map(
      (record) =>
        `<tr><td>v${record.version}</td><td>${renderDate(record.trainedAt)}</td><td class="num">${record.examples.toLocaleString("en-US")}</td><td class="num">${record.steps ?? "—"}</td><td class="num">${record.trainSeconds === null ? "—" : `${Math.round(record.trainSeconds)} s`}</td></tr>`,
    )
    .join("");
  const evaluation = evaluationFromRecord(
    current,
    `${where.owner}/${where.repo}`,
    persona.reviewerLogin,
  );
  const reviews = persona.recentReviews
    .slice(0, 10)
    .map(
      (run) =>
        `<li><a href="${escapeHtml(`${where.githubWebUrl}/${run.owner}/${run.repo}/pull/${run.pullNumber}`)}">#${run.pullNumber}</a> on <code>${escapeHtml(run.headSha.slice(0, 7))}</code> · ${renderTime(run.updatedAt)}</li>`,
    )
    .join("");
  return `<section class="card persona" id="persona-${escapeHtml(persona.reviewerLogin)}">
<h2>In the style of <code>${escapeHtml(persona.reviewerLogin)}</code></h2>
<p>Adapter v${current.version}, trained ${renderTime(current.trainedAt)} on ${plural(current.examples, "comment")} (base model <code>${escapeHtml(current.baseModel)}</code>).</p>
<h3>Adapter versions</h3>
<div class="table-wrap"><table class="versions"><thead><tr><th>version</th><th>trained</th><th class="num">comments</th><th class="num">steps</th><th class="num">train time</th></tr></thead><tbody>${versions}</tbody></table></div>
<h3>Last evaluation</h3>
${evaluation === undefined ? `<p class="muted">${current.evaluationPending ? "Holdout evaluation running: its figures appear here when it ends." : "Not evaluated yet."}</p>` : renderEvaluation(evaluation, current.evaluation)}
<h3>Feedback</h3>
${renderFeedback(persona.feedback)}
<h3>Recent reviews</h3>
${reviews === "" ? '<p class="muted">No review in the last two weeks.</p>' : `<ul class="plain">${reviews}</ul>`}
</section>`;
}

function renderEvaluation(scores: EvaluationScores, quote: string | undefined): string {
  const ran = scores.systems.filter((system) => system.ran);
  const header = ran.map((system) => `<th class="num">${escapeHtml(system.id)}</th>`).join("");
  const rows = METRIC_ROWS.map((metric) => {
    const cells = ran
      .map((system) => {
        const value = system.ran ? system.scores[metric.key] : undefined;
        return `<td class="num">${formatMetric(typeof value === "number" ? value : undefined, metric.scale)}</td>`;
      })
      .join("");
    return `<tr><td>${escapeHtml(metric.title)}</td>${cells}</tr>`;
  }).join("");
  return `${quote ? `<p>${escapeHtml(quote)}</p>` : ""}
<div class="chart">${buildSvgChart(scores)}</div>
<div class="table-wrap"><table class="scores"><thead><tr><th>metric</th>${header}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The reactions are named in words too: not every system has an emoji font. */
function renderFeedback(feedback: PersonaFeedback | undefined): string {
  if (feedback === undefined) return '<p class="muted">No feedback recorded yet.</p>';
  const figure = (label: string, value: number) =>
    `<div><strong>${value.toLocaleString("en-US")}</strong>${label}</div>`;
  return `<div class="figures">${figure("comments posted", feedback.posted)}${figure("addressed", feedback.addressed)}${figure("resolved", feedback.resolved)}${figure("👍 thumbs up", feedback.thumbsUp)}${figure("👎 thumbs down", feedback.thumbsDown)}</div>`;
}

/**
 * The registry keeps an evaluation as flat figures (`adapter.comment_f1`, …); this puts them back
 * in the shape `npm run eval`'s chart draws. Undefined when the adapter has no figures yet.
 */
export function evaluationFromRecord(
  record: AdapterRecord,
  repoFullName: string,
  reviewerLogin: string,
): EvaluationScores | undefined {
  const systems: SystemScores[] = [];
  for (const id of SYSTEMS) {
    const prefix = `${id}.`;
    const entries = Object.entries(record.scores).filter(([key]) => key.startsWith(prefix));
    if (entries.length === 0) continue;
    const scores = Object.fromEntries(
      entries.map(([key, value]) => [key.slice(prefix.length), value]),
    ) as unknown as ScoreSummary;
    systems.push({
      id,
      title: id,
      model: id === "adapter" ? record.adapterName : record.baseModel,
      ran: true,
      failedHunks: {},
      commentsPredicted: 0,
      // The registry keeps the figures only; the budget is in the evaluation's own report.
      budget: "see the evaluation report",
      scores,
    });
  }
  if (systems.length === 0) return undefined;
  return {
    name: reviewerLogin,
    dataset: `${reviewerLogin}'s held-out comments in ${repoFullName}`,
    reviewerLogin,
    repoFullName,
    date: record.trainedAt.slice(0, 10),
    holdoutSize: 0,
    holdoutComments: 0,
    reviewerCommentRate: 0,
    baseModel: record.baseModel,
    systems,
  };
}
