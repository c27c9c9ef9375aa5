import { Octokit } from "@octokit/core";
import type { AuthStage } from "../../auth/create-auth-stage.js";
import { statusOf } from "../../github/github-client.js";
import { collectHistory } from "../../history/collect-history.js";
import {
  describeHistoryOutcome,
  describeHistoryProgress,
  describeNoHistory,
} from "../../history/describe-history-outcome.js";
import type { HistoryConfig } from "../../history/history-config.js";
import { loadHistoryStats, releaseHistory } from "../../history/release-history.js";
import type { PromptTemplates } from "../../prompts/load-prompts.js";
import type { RunContext, RunStage } from "../stage-contract.js";
import { parkForSignIn, pendingRunOf } from "./authorise-stage.js";

export interface CollectHistoryStageParams {
  auth: AuthStage;
  config: HistoryConfig & {
    BOT_HANDLE: string;
    QUEUE_PREFIX: string;
    OAUTH_STATE_TTL_SECONDS: number;
  };
  templates: PromptTemplates;
  /** REST base for the requester's client, from GHE_HOST/GHE_PROTOCOL. */
  apiBaseUrl: string;
}

/**
 * Second stage: the reviewer's history, read with the requester's token. Progress goes to the
 * status comment; a 401 (revoked or expired token) asks the requester to sign in again and parks
 * the run. The scraped data is released when the run finishes (it expires anyway).
 *
 * A follow-up run after training (`job.afterTraining`) collects nothing: its adapter already
 * learned the history, and the run it follows collected it minutes ago. It only takes the kept
 * statistics, so the adapter's review keeps the reviewer's comment rate.
 */
export function createCollectHistoryStage(params: CollectHistoryStageParams): RunStage {
  const keyPrefix = params.config.QUEUE_PREFIX;
  const subjectOf = (context: RunContext) => ({
    owner: context.job.owner,
    repo: context.job.repo,
    reviewerLogin: context.job.reviewerLogin,
  });
  const collectWith = (context: RunContext, token: string) => {
    const octokit = new Octokit({ auth: token, baseUrl: params.apiBaseUrl });
    return collectHistory({
      subject: subjectOf(context),
      runId: context.runId,
      forceReload: context.job.forceReload,
      graphql: (query, variables) => octokit.graphql(query, variables),
      request: (route, options) => octokit.request(route, options),
      redis: context.redis,
      keyPrefix,
      config: params.config,
      templates: params.templates,
      appBotLogin: `${params.config.BOT_HANDLE}[bot]`,
      log: context.log,
      reportProgress: (progress) => context.status.progress(describeHistoryProgress(progress)),
    });
  };

  return {
    name: "collect-history",
    async run(context) {
      if (context.job.afterTraining) {
        const stats = await loadHistoryStats({
          redis: context.redis,
          keyPrefix,
          subject: subjectOf(context),
        });
        if (stats) {
          context.session.history = {
            runId: context.runId,
            stats,
            trainable: true,
            minimumComments: params.config.MIN_COMMENTS_FOR_TRAINING,
          };
        }
        return { kind: "done" };
      }
      const token = context.session.requesterToken;
      if (!token)
        throw new Error(
          "collect-history needs the requester's token: the authorise stage must run first",
        );
      await context.status.show(
        `Collecting the review history of \`${context.job.reviewerLogin}\`…`,
      );
      let result: Awaited<ReturnType<typeof collectWith>>;
      try {
        result = await collectWith(context, token);
      } catch (error) {
        if (statusOf(error) !== 401) throw error;
        const replacement = await params.auth.handleRejectedUserToken({
          pendingRun: pendingRunOf(context),
          rejectedAccessToken: token,
        });
        if (replacement.status === "needs-authorisation") {
          return parkForSignIn(context, {
            keyPrefix,
            linkTtlSeconds: params.config.OAUTH_STATE_TTL_SECONDS,
            signInUrl: replacement.signInUrl,
          });
        }
        context.session.requesterToken = replacement.accessToken;
        result = await collectWith(context, replacement.accessToken);
      }
      context.session.history = result;
      if (result.stats.comments === 0) {
        // Few-shot from nothing would put words in their mouth: a review "in their style" needs some.
        await context.status.show(describeNoHistory(result), [
          "Nothing was reviewed. Check the spelling of the login, or ask for someone who has reviewed pull requests here.",
        ]);
        return { kind: "ended", reason: "no review history" };
      }
      await context.status.show(describeHistoryOutcome(result));
      return { kind: "done" };
    },
    async finish(context) {
      // A follow-up never joined the history, so it has nothing to release.
      if (context.job.afterTraining) return;
      await releaseHistory({
        redis: context.redis,
        keyPrefix,
        subject: subjectOf(context),
        runId: context.runId,
      });
    },
  };
}
