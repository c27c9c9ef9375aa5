import { cleanComments } from "../../history/clean-comments.js";
import { createHistoryStore } from "../../history/store-history.js";
import { WHERE_FEATURE_SPEC } from "../../where/compute-where-features.js";
import { fitReviewerWhereModel } from "../../where/fit-reviewer-where-model.js";
import { getWhereRecord, recordWhereModel } from "../../where/where-registry.js";
import type { RunStage } from "../stage-contract.js";

export interface WhereModelStageParams {
  keyPrefix: string;
  /** This app's bot login, e.g. `tech-lead-bot[bot]`: its comments are never learnt from. */
  appBotLogin: string;
  /** `python3 -m trainer where fit` (WHERE_FIT_COMMAND). */
  fitCommand: readonly string[];
  /** Seconds the history stays in Redis (the store refreshes nothing here; reads only). */
  historyTtlSeconds: number;
  now?: () => number;
}

/**
 * After the history stage: the reviewer's where-model, which decides where the persona speaks.
 * Fitted from the collection this run holds (seconds on a CPU, in the persona worker) whether or
 * not an adapter trains, so few-shot reviews use it too; a collection that was already fitted
 * is reused. A follow-up run after training takes the current one. A fit that fails does not
 * stop the run: the review falls back to the rate budget and says why.
 */
export function createWhereModelStage(params: WhereModelStageParams): RunStage {
  const now = params.now ?? Date.now;
  return {
    name: "where-model",
    async run(context) {
      const { job } = context;
      const subject = { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin };
      const registry = { redis: context.redis, keyPrefix: params.keyPrefix, subject };
      const current = await getWhereRecord(registry);
      const history = context.session.history;
      const fresh =
        current?.model.featureSpec === WHERE_FEATURE_SPEC &&
        (job.afterTraining || current.historyCollectedAt === history?.stats.collectedAt);
      if (current && fresh) {
        context.session.where = { model: current.model };
        return { kind: "done" };
      }
      if (!history || job.afterTraining) {
        context.session.where = { problem: "no where-model for this reviewer yet" };
        return { kind: "done" };
      }
      const startedAt = now();
      try {
        const store = createHistoryStore({
          ...registry,
          ttlSeconds: params.historyTtlSeconds,
        });
        const [pulls, rawComments, pullFiles] = await Promise.all([
          store.loadPulls(),
          store.loadComments(),
          store.loadPullFiles(),
        ]);
        const { kept } = cleanComments({ comments: rawComments, appBotLogin: params.appBotLogin });
        const fitted = await fitReviewerWhereModel({
          reviewerLogin: job.reviewerLogin,
          pulls,
          pullFiles,
          rawComments,
          kept,
          now: new Date(startedAt).toISOString(),
          fitCommand: params.fitCommand,
          log: context.log,
        });
        if (!fitted) {
          context.session.where = {
            problem: "the history kept no pull request with its files to learn where they comment",
          };
          return { kind: "done" };
        }
        await recordWhereModel({
          ...registry,
          startedAt,
          record: {
            // Tied to an adapter version by the train stage when this history trains one.
            version: 0,
            trainedAt: new Date(now()).toISOString(),
            provenance: context.runId,
            historyCollectedAt: history.stats.collectedAt,
            fitSeconds: fitted.seconds,
            model: fitted.model,
          },
        });
        context.session.where = { model: fitted.model };
      } catch (error) {
        context.log.warn({ err: error }, "could not fit the where-model; the rate budget decides");
        context.session.where = {
          problem: `the where-model could not be fitted (${error instanceof Error ? error.message.slice(0, 300) : String(error)})`,
        };
      }
      return { kind: "done" };
    },
  };
}
