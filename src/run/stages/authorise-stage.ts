import { buildSignInMessage } from "../../auth/build-sign-in-message.js";
import type { AuthStage } from "../../auth/create-auth-stage.js";
import type { PendingRun } from "../../auth/pending-run.js";
import { parkRun } from "../park-run.js";
import type { RunContext, RunStage, StageResult } from "../stage-contract.js";

/** The run's view of who asked, for the sign-in link. */
export function pendingRunOf(context: RunContext): PendingRun {
  const { job } = context;
  return {
    installationId: job.installationId,
    owner: job.owner,
    repo: job.repo,
    pullNumber: job.pullNumber,
    runId: context.runId,
    requesterLogin: job.requesterLogin,
    requesterId: job.requesterId,
  };
}

/** Parks the run until the requester signs in, and shows them the link in the status comment. */
export async function parkForSignIn(
  context: RunContext,
  params: { keyPrefix: string; linkTtlSeconds: number; signInUrl: string },
): Promise<StageResult> {
  await parkRun({
    redis: context.redis,
    keyPrefix: params.keyPrefix,
    runId: context.runId,
    job: context.job,
  });
  await context.status.show(
    buildSignInMessage({
      requesterLogin: context.job.requesterLogin,
      reviewerLogin: context.job.reviewerLogin,
      signInUrl: params.signInUrl,
      linkTtlSeconds: params.linkTtlSeconds,
    }),
  );
  return { kind: "parked", reason: "waiting for the requester to sign in" };
}

/**
 * First stage: the requester's own GitHub token, so history is read with their access. Without
 * one, the status comment shows them a sign-in link and the run parks until the OAuth callback
 * resumes it. A follow-up run after training reads no history, so it needs no token: it would
 * otherwise ask for a sign-in again, long after the requester signed in for the run it follows.
 */
export function createAuthoriseStage(params: {
  auth: AuthStage;
  keyPrefix: string;
  linkTtlSeconds: number;
}): RunStage {
  return {
    name: "authorise",
    async run(context) {
      if (context.job.afterTraining) return { kind: "done" };
      const token = await params.auth.ensureRequesterToken(pendingRunOf(context));
      if (token.status === "ready") {
        context.session.requesterToken = token.accessToken;
        return { kind: "done" };
      }
      return parkForSignIn(context, { ...params, signInUrl: token.signInUrl });
    },
  };
}
