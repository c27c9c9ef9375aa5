import { afterEach, beforeEach, expect, it } from "vitest";
import { createRunTickets } from "../../src/run/run-tickets.js";
import { createAuthoriseStage } from "../../src/run/stages/authorise-stage.js";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import { deliverWebhook, eventually, issueCommentOnPullRequest } from "../../support/webhooks.js";
import { stubIntake } from "../support/stub-intake.js";

/**
 * A run parked until its requester signs in has finished its BullMQ job (and that job may be
 * cleaned away long before the sign-in), yet the run is alive: the sweep of removed runs must
 * leave it alone. PERSONA_LOCK_MS=1000 makes the sweep's guard age 2 s and its interval 4 s.
 */
const HEAD_SHA = "1111111111111111111111111111111111111111";
const REQUESTER = { login: "octo-dev", id: 583231 };
let harness: AppHarness;

beforeEach(async () => {
  harness = await startAppHarness({ PERSONA_LOCK_MS: "1000" });
  stubIntake(harness.github, { headSha: HEAD_SHA, statusCommentId: 321 });
  harness.startIntake();
  harness.startPersona([
    createAuthoriseStage({
      auth: harness.auth,
      keyPrefix: harness.config.QUEUE_PREFIX,
      linkTtlSeconds: harness.config.OAUTH_STATE_TTL_SECONDS,
    }),
  ]);
});

afterEach(async () => {
  expect(harness.github.violations).toEqual([]);
  await harness.close();
});

const lastStatus = () => {
  const edits = harness.github.calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
  return (edits.at(-1)?.body as { body: string } | undefined)?.body ?? "";
};

it("does not end a run parked for sign-in whose job was cleaned away, even with a stale ticket", async () => {
  const payload = issueCommentOnPullRequest({
    body: "@tech-lead-bot alice",
    login: REQUESTER.login,
  });
  payload.comment.user.id = REQUESTER.id;
  await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });
  const { personaQueue, redis } = harness;
  const keyPrefix = harness.config.QUEUE_PREFIX;
  const [parked] = await eventually(async () => {
    const completed = await personaQueue.getJobs(["completed"]);
    expect(completed).toHaveLength(1);
    return completed;
  });
  const runId = parked?.id ?? "";
  expect(lastStatus()).toMatch(/Sign in with GitHub/);
  // Parking dropped the run's ticket; the parked record is what resumes it.
  expect(await redis.keys(`${keyPrefix}:run-ticket:*`)).toEqual([]);
  expect(await redis.exists(`${keyPrefix}:parked:${runId}`)).toBe(1);

  // An operator cleans finished jobs; a ticket lingers (as if dropping it had failed).
  expect(await personaQueue.clean(0, 100, "completed")).toEqual([runId]);
  await createRunTickets({ redis, keyPrefix }).save(runId, parked?.data);
  // Past the guard age and at least one periodic sweep.
  await new Promise((resolve) => setTimeout(resolve, 7_000));

  expect(lastStatus()).toMatch(/Sign in with GitHub/);
  expect(harness.logLines.join("\n")).not.toContain("run removed from the queue");
  expect(await redis.exists(`${keyPrefix}:parked:${runId}`)).toBe(1);
}, 30_000);
