import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { ApplicationFunction, Probot } from "probot";
import type { AuthStage } from "./auth/create-auth-stage.js";
import { acceptComment } from "./command/accept-comment.js";
import { readCommentEvent } from "./command/read-comment-event.js";
import type { Config } from "./config/load-config.js";
import { measureWebhook } from "./observe/measure-webhook.js";
import { oauthSignInsTotal } from "./observe/metrics.js";
import { resumeRun } from "./run/park-run.js";

export interface AppDeps {
  config: Config;
  redis: Redis;
  commandQueue: Queue;
  personaQueue: Queue;
  auth: AuthStage;
  /** Called with the loaded Probot, so the entry point can authenticate as installations. */
  onLoad?: (app: Probot) => void;
}

/**
 * The Probot app: wires comment webhooks to the command intake. Handlers only queue work;
 * everything that talks to GitHub runs in workers, so webhooks are answered in milliseconds.
 */
export function createApp(deps: AppDeps): ApplicationFunction {
  return (app, options) => {
    deps.onLoad?.(app);
    options.addHandler(
      deps.auth.createHttpHandler({
        log: app.log.child({ name: "oauth" }),
        onAuthorised: async (pendingRun) => {
          const resumed = await resumeRun({
            redis: deps.redis,
            keyPrefix: deps.config.QUEUE_PREFIX,
            runId: pendingRun.runId,
            personaQueue: deps.personaQueue,
          });
          app.log.info({ runId: pendingRun.runId, resumed }, "requester signed in");
          oauthSignInsTotal.inc();
        },
      }),
    );
    app.on(
      [
        "issue_comment.created",
        "pull_request_review_comment.created",
        "discussion_comment.created",
      ],
      async (context) => {
        await measureWebhook(context.name, () =>
          acceptComment({
            deliveryId: context.id,
            event: readCommentEvent(context.name, context.payload),
            deps: {
              redis: deps.redis,
              commandQueue: deps.commandQueue,
              botHandle: deps.config.BOT_HANDLE,
              keyPrefix: deps.config.QUEUE_PREFIX,
              dedupeTtlSeconds: deps.config.DEDUPE_TTL_SECONDS,
              log: context.log,
            },
          }),
        );
      },
    );
  };
}
