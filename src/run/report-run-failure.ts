import { type RunStatusTarget, showRunStatus } from "./show-run-status.js";

/** The stage a run failed in, attached to the error by the orchestrator. */
export function failedStageOf(error: unknown): string | undefined {
  const stage = (error as { stage?: unknown } | null)?.stage;
  return typeof stage === "string" ? stage : undefined;
}

/**
 * Tells the pull request why its run failed: what went wrong, whether the bot retries by
 * itself, and what to do otherwise. Error messages in this codebase never carry secrets.
 */
export async function reportRunFailure(
  params: RunStatusTarget & { error: unknown; willRetry: boolean },
): Promise<void> {
  const stage = failedStageOf(params.error);
  const reason = params.error instanceof Error ? params.error.message : String(params.error);
  const where = stage ? ` while running the ${stage} stage` : "";
  const headline = params.willRetry
    ? `⚠️ Something went wrong${where}; retrying automatically.`
    : `❌ The run failed${where}.`;
  const details = [`What happened: ${reason.slice(0, 500)}`];
  if (!params.willRetry) {
    details.push(
      `What to do: mention me again to retry (\`--force-reload\` starts from scratch). If it keeps failing, a maintainer can look up run \`${params.runId}\` in the worker logs.`,
    );
  }
  await showRunStatus({
    octokit: params.octokit,
    runId: params.runId,
    job: params.job,
    headline,
    details,
  });
}
