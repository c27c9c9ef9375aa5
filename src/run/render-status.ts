/** What the status comment shows at one moment of a run. */
export interface StatusView {
  requesterLogin: string;
  reviewerLogin: string;
  headSha: string;
  /** One sentence: where the run is. */
  headline: string;
  /** Further lines: counts, progress, links, what to do next. */
  details?: string[];
}

/**
 * Renders the run's status comment. The reviewer is named in a code span so the status never
 * pings them; the requester is mentioned once, since they asked.
 */
export function renderStatus(view: StatusView): string {
  const lines = [
    `**tech-lead-bot** · review in the style of \`${view.reviewerLogin}\``,
    "",
    view.headline,
  ];
  if (view.details && view.details.length > 0)
    lines.push("", ...view.details.map((detail) => `- ${detail}`));
  lines.push(
    "",
    `<sub>Requested by @${view.requesterLogin} on ${view.headSha.slice(0, 7)}. Comments are predictions of what \`${view.reviewerLogin}\` might say, not their words.</sub>`,
  );
  return lines.join("\n");
}

/** The stages a run goes through, for "what comes next" lines. */
export const RUN_STAGES = [
  "check the requester's GitHub authorisation",
  "collect the reviewer's review history",
  "train or reuse the reviewer's adapter",
  "review the pull request",
] as const;
