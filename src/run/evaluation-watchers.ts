import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type PersonaJob, personaJobSchema } from "../../jobs/persona-job.js";
import type { AdapterEvaluated } from "../../jobs/train-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { RedisKeys } from "../store/redis-keys.js";
import { getCurrentAdapter, listAdapterHistory } from "../train/adapter-registry.js";
import type { RunContext } from "./stage-contract.js";

/** As long as a parked run may wait: an evaluation that has not ended by then never will. */
const WATCH_TTL_SECONDS = 7 * 86_400;

/**
 * The status line of a run that reviewed with an adapter whose holdout evaluation is still
 * running. It is replaced, word for word, by {@link evaluationEndedLine} when the evaluation ends.
 */
export function evaluationRunningLine(version: number): string {
  return `📊 The holdout evaluation of adapter v${version} runs after this review; its figures will replace this line when it ends.`;
}

/** The line that replaces {@link evaluationRunningLine}: the figures, or why there are none. */
export function evaluationEndedLine(
  evaluated: Pick<AdapterEvaluated, "version" | "summary" | "problem">,
): string {
  if (evaluated.summary) {
    return `📊 Adapter v${evaluated.version}, evaluated after this review: ${evaluated.summary}.`;
  }
  return `📊 The holdout evaluation of adapter v${evaluated.version} gave no figures: ${evaluated.problem ?? "see the training worker's log"}.`;
}

/**
 * The end of a review with an adapter whose evaluation was still running when the run chose it
 * (`session.pendingEvaluation`): the run's last status (`last`, the review's outcome) gets the
 * running line, and the run becomes a watcher of the evaluation, whose end the training-progress
 * relay fills in (fillEvaluationInStatus). Order matters, since the evaluation can end at any
 * moment: the watcher is registered before the running line is written, and the registry is
 * read again after it was written; if the evaluation has ended by then, the run writes the
 * figures itself. The relay replaces the running line only in the run's final status, so
 * whichever of the two writes last, the comment ends with the figures.
 * Never throws: the review is posted, and a status line must not make the run retry it.
 */
export async function followAdapterEvaluation(params: {
  context: RunContext;
  keyPrefix: string;
  adapter: { adapterName: string; version: number };
  /** The run's last status: the review's outcome. */
  last: { headline: string; details?: string[] };
}): Promise<void> {
  const { context, keyPrefix, adapter, last } = params;
  const { redis, job, runId } = context;
  const watchers = new RedisKeys(keyPrefix).evaluationWatchers(adapter.adapterName);
  const show = (line: string) =>
    context.status.show(last.headline, [...(last.details ?? []), line]);
  try {
    await redis
      .multi()
      .hset(watchers, runId, JSON.stringify(job))
      .expire(watchers, WATCH_TTL_SECONDS)
      .exec();
    await show(evaluationRunningLine(adapter.version));
    await context.status.flush();
    const record = await findAdapterRecord({
      redis,
      keyPrefix,
      subject: { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin },
      adapterName: adapter.adapterName,
    });
    if (record?.evaluationPending) return;
    await show(
      evaluationEndedLine({
        version: adapter.version,
        ...(record?.evaluation ? { summary: record.evaluation } : {}),
        problem: record
          ? "the evaluation failed (the training worker's log says why)"
          : "the adapter was forgotten while it was evaluated",
      }),
    );
    await redis.hdel(watchers, runId);
  } catch (error) {
    context.log.warn({ err: error }, "could not show the adapter's evaluation in the status");
  }
}

/**
 * The training worker reported that an adapter's evaluation ended: in the status comment of each
 * run that watches it, the running line becomes the figures (or why there are none). Only a
 * comment that still shows the running line is edited, and always the same way, so every persona
 * worker replica may do it and a repeated event changes nothing.
 */
export async function fillEvaluationInStatus(params: {
  redis: Redis;
  keyPrefix: string;
  evaluated: AdapterEvaluated;
  auth: (installationId: number) => Promise<GitHubClient>;
  log: Logger;
}): Promise<number> {
  const { redis, evaluated } = params;
  const watchers = new RedisKeys(params.keyPrefix).evaluationWatchers(evaluated.adapterName);
  const running = `- ${evaluationRunningLine(evaluated.version)}`;
  const ended = `- ${evaluationEndedLine(evaluated)}`;
  let filled = 0;
  for (const [runId, raw] of Object.entries(await redis.hgetall(watchers))) {
    try {
      const job: PersonaJob = personaJobSchema.parse(JSON.parse(raw));
      const octokit = await params.auth(job.installationId);
      const ref = { owner: job.owner, repo: job.repo, comment_id: job.statusCommentId };
      const { data } = await octokit.request(
        "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
        ref,
      );
      const body = typeof data.body === "string" ? data.body : "";
      if (body.split("\n").includes(running)) {
        await octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          ...ref,
          body: body
            .split("\n")
            .map((line) => (line === running ? ended : line))
            .join("\n"),
        });
        filled++;
      }
      await redis.hdel(watchers, runId);
    } catch (error) {
      params.log.warn(
        { err: error, runId, adapterName: evaluated.adapterName },
        "could not fill the adapter's evaluation into a status comment",
      );
    }
  }
  return filled;
}

/** The adapter's registry record: the current one, or its entry in the history. */
async function findAdapterRecord(params: {
  redis: Redis;
  keyPrefix: string;
  subject: { owner: string; repo: string; reviewerLogin: string };
  adapterName: string;
}) {
  const current = await getCurrentAdapter(params);
  if (current?.adapterName === params.adapterName) return current;
  return (await listAdapterHistory(params)).find(
    (record) => record.adapterName === params.adapterName,
  );
}
