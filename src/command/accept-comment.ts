import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type CommandJob, commandJobId, commandJobSchema } from "../../jobs/command-job.js";
import { claimOnce, releaseClaim } from "../store/claim-once.js";
import { RedisKeys } from "../store/redis-keys.js";
import { parseCommand } from "./parse-command.js";
import type { CommentEvent } from "./read-comment-event.js";

export interface AcceptCommentDeps {
  redis: Redis;
  commandQueue: Queue;
  botHandle: string;
  keyPrefix: string;
  dedupeTtlSeconds: number;
  log: Logger;
}

export type AcceptOutcome = "ignored" | "duplicate" | "queued";

/**
 * What the webhook handler does, and all it does: parse the comment, drop bots and repeats, and
 * queue the command. Nothing here calls GitHub, so the webhook is answered in milliseconds;
 * the intake worker acknowledges and checks permission.
 */
export async function acceptComment(params: {
  deliveryId: string;
  event: CommentEvent;
  deps: AcceptCommentDeps;
}): Promise<AcceptOutcome> {
  const { deliveryId, event, deps } = params;
  if (event.author.isBot) return "ignored";
  const parsed = parseCommand({ body: event.body, botHandle: deps.botHandle });
  if (!parsed) return "ignored";
  const onPullRequest =
    event.source.kind === "pull_request_review_comment" ||
    (event.source.kind === "issue_comment" && event.source.isPullRequest);
  // Forgetting someone concerns the repository, not a pull request: it works in any thread.
  const request =
    onPullRequest || parsed.kind === "forget" ? parsed : ({ kind: "pull-requests-only" } as const);

  const claims = [
    new RedisKeys(deps.keyPrefix).seenDelivery(deliveryId),
    new RedisKeys(deps.keyPrefix).seenComment(event.source.kind, event.commentId),
  ];
  const claimed: string[] = [];
  for (const key of claims) {
    if (!(await claimOnce({ redis: deps.redis, key, ttlSeconds: deps.dedupeTtlSeconds }))) {
      await Promise.all(claimed.map((k) => releaseClaim({ redis: deps.redis, key: k })));
      deps.log.info(
        { deliveryId, commentId: event.commentId },
        "duplicate command delivery ignored",
      );
      return "duplicate";
    }
    claimed.push(key);
  }

  const job: CommandJob = commandJobSchema.parse({
    deliveryId,
    installationId: event.installationId,
    owner: event.owner,
    repo: event.repo,
    commentId: event.commentId,
    commenterLogin: event.author.login,
    commenterId: event.author.id,
    source: event.source,
    request,
  });
  try {
    await deps.commandQueue.add("command", job, {
      jobId: commandJobId(event.source.kind, event.commentId),
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000 },
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    });
  } catch (error) {
    // Without the job the claims would make GitHub's redelivery a silent no-op.
    await Promise.all(claims.map((key) => releaseClaim({ redis: deps.redis, key })));
    throw new Error("Could not queue the command; redeliver the webhook once Redis is reachable", {
      cause: error,
    });
  }
  deps.log.info(
    { deliveryId, owner: event.owner, repo: event.repo, request: request.kind },
    "command queued",
  );
  return "queued";
}
