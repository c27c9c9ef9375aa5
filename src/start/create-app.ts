import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { ApplicationFunction, Probot } from "probot";
import type { AuthStage } from "../auth/create-auth-stage.js";
import { acceptComment } from "../command/accept-comment.js";
import { readCommentEvent } from "../command/read-comment-event.js";
import { createDashboardHandler } from "../dashboard/create-dashboard-handler.js";
import { createFateStore } from "../fates/fate-store.js";
import { acceptPush } from "../feed/accept-push.js";
import {
  acceptOwnReviewComment,
  acceptPullRequestEvent,
} from "../feedback/accept-feedback-event.js";
import { recordReply, recordThreadState } from "../feedback/record-thread-events.js";
import { measureWebhook } from "../observe/measure-webhook.js";
import { oauthSignInsTotal } from "../observe/metrics.js";
import { resumeRun } from "../run/park-run.js";
import type { Config } from "./load-config.js";

export interface AppDeps {
  config: Config;
  redis: Redis;
  commandQueue: Queue;
  personaQueue: Queue;
  /** Pushes to summarise for the dashboard's feed. */
  pushQueue: Queue;
  auth: AuthStage;
  /** Where pull request events go to have our comments' fates read (src/feedback). */
  feedbackQueue?: Queue;
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
    // The dashboard (/dashboard/…): pages behind the same GitHub sign-in.
    options.addHandler(
      createDashboardHandler({
        redis: deps.redis,
        keyPrefix: deps.config.QUEUE_PREFIX,
        auth: deps.auth,
        publicUrl: deps.config.PUBLIC_URL,
        githubWebUrl: deps.auth.webUrl,
        log: app.log.child({ name: "dashboard" }),
      }),
    );
    app.on("push", async (context) => {
      await acceptPush({
        deliveryId: context.id,
        payload: context.payload,
        deps: {
          redis: deps.redis,
          pushQueue: deps.pushQueue,
          keyPrefix: deps.config.QUEUE_PREFIX,
          dedupeTtlSeconds: deps.config.DEDUPE_TTL_SECONDS,
          log: context.log,
        },
      });
    });
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
    // What people do with our comments: replies and thread states are in the payload (Redis
    // writes only); pushes and closes queue one read of reactions and changed lines.
    const fates = createFateStore({ redis: deps.redis, keyPrefix: deps.config.QUEUE_PREFIX });
    app.on("pull_request_review_comment.created", async (context) => {
      await recordReply({ store: fates, payload: context.payload });
    });
    app.on(
      ["pull_request_review_thread.resolved", "pull_request_review_thread.unresolved"],
      async (context) => {
        await recordThreadState({ store: fates, payload: context.payload });
      },
    );
    const { feedbackQueue } = deps;
    if (feedbackQueue) {
      app.on("pull_request_review_comment.created", async (context) => {
        await acceptOwnReviewComment({ payload: context.payload, feedbackQueue });
      });
      app.on(["pull_request.synchronize", "pull_request.closed"], async (context) => {
        await acceptPullRequestEvent({ payload: context.payload, store: fates, feedbackQueue });
      });
    }
  };
}
