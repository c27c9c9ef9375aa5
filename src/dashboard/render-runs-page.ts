import type { RunStatus } from "../run/record-run-status.js";
import { escapeHtml, renderRepoHeader, renderStatusText, renderTime } from "./render-layout.js";

const PROGRESS_LINE = /^`([█░]+)` (\d{1,3})%$/;
/** The status comment's leading emoji: the state badge says the same, and fonts may lack it. */
const LEADING_EMOJI = /^(?:\p{Extended_Pictographic}|\uFE0F|\u200D)+\s*/u;

/** The body of `/dashboard/<owner>/<repo>/runs`: runs in progress, then recent ones. */
export function renderRunsPage(params: {
  owner: string;
  repo: string;
  runs: RunStatus[];
  githubWebUrl: string;
}): string {
  const active = params.runs.filter((run) => run.state === "running" || run.state === "parked");
  const done = params.runs.filter((run) => run.state === "finished" || run.state === "failed");
  const list = (runs: RunStatus[], none: string) =>
    runs.length === 0
      ? `<p class="muted">${none}</p>`
      : runs.map((run) => renderRun(run, params.githubWebUrl)).join("\n");
  return `${renderRepoHeader({ ...params, current: "runs" })}
<h2>In progress</h2>
${list(active, "No run in progress.")}
<h2>Recent</h2>
${list(done, "No finished run in the last two weeks.")}`;
}

function renderRun(run: RunStatus, githubWebUrl: string): string {
  const prUrl = `${githubWebUrl}/${run.owner}/${run.repo}/pull/${run.pullNumber}`;
  // The stage in hand is not done yet: a run in stage 2 of 2 has finished one.
  const stagesDone = run.state === "finished" ? run.stageCount : Math.max(0, run.stageIndex - 1);
  const stage =
    run.stageCount === 0
      ? ""
      : `<p class="meta">Stage ${run.stageIndex} of ${run.stageCount}${run.stageName ? `: ${escapeHtml(run.stageName)}` : ""} <progress max="${run.stageCount}" value="${stagesDone}" aria-label="stages done">${stagesDone}/${run.stageCount}</progress></p>`;
  const details = run.details
    .map((line) => {
      const bar = PROGRESS_LINE.exec(line);
      if (bar)
        return `<li><progress max="100" value="${bar[2]}">${bar[2]}%</progress> ${bar[2]}%</li>`;
      return `<li>${renderStatusText(line)}</li>`;
    })
    .join("");
  return `<article class="card run" data-state="${run.state}">
<p><a href="${escapeHtml(prUrl)}">#${run.pullNumber}</a> in the style of <code>${escapeHtml(run.reviewerLogin)}</code> <span class="badge ${run.state}">${run.state}</span></p>
${stage}
<p>${renderStatusText(run.headline.replace(LEADING_EMOJI, ""))}</p>
${details === "" ? "" : `<ul class="muted details">${details}</ul>`}
<p class="meta">Requested by @${escapeHtml(run.requesterLogin)} on <code>${escapeHtml(run.headSha.slice(0, 7))}</code> · updated ${renderTime(run.updatedAt)}</p>
</article>`;
}
