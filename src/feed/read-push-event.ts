import { z } from "zod";
import { type PushSummaryJob, pushSummaryJobSchema } from "../../jobs/push-summary-job.js";

const NO_COMMIT = /^0{40}$/;

/** The fields of GitHub's `push` payload the feed relies on. */
const pushPayloadSchema = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  deleted: z.boolean(),
  forced: z.boolean(),
  commits: z.array(z.object({ id: z.string() })),
  head_commit: z.object({ timestamp: z.string() }).nullable(),
  repository: z.object({
    name: z.string(),
    owner: z.object({ login: z.string().optional(), name: z.string().optional() }),
    default_branch: z.string(),
  }),
  sender: z.object({ login: z.string() }),
  installation: z.object({ id: z.number().int().positive() }).optional(),
});

export type PushEventReading =
  | { kind: "summarise"; job: PushSummaryJob }
  | { kind: "skip"; reason: "deleted branch" | "not a branch" | "no installation" };

/**
 * Turns a `push` webhook into a summary job, or says why there is nothing to summarise: a deleted
 * branch, a tag, or a delivery without an installation. Whether the branch's feed is on is the
 * repository config's business, read by the worker (the webhook handler calls no API).
 * @throws ZodError when the payload is not shaped like GitHub's.
 */
export function readPushEvent(payload: unknown, receivedAt: Date = new Date()): PushEventReading {
  const push = pushPayloadSchema.parse(payload);
  if (push.deleted || NO_COMMIT.test(push.after)) return { kind: "skip", reason: "deleted branch" };
  if (!push.ref.startsWith("refs/heads/")) return { kind: "skip", reason: "not a branch" };
  if (push.installation === undefined) return { kind: "skip", reason: "no installation" };
  const timestamp = push.head_commit ? new Date(push.head_commit.timestamp) : receivedAt;
  const job = pushSummaryJobSchema.parse({
    installationId: push.installation.id,
    owner: push.repository.owner.login ?? push.repository.owner.name,
    repo: push.repository.name,
    branch: push.ref.slice("refs/heads/".length),
    defaultBranch: push.repository.default_branch,
    before: push.before,
    after: push.after,
    forced: push.forced,
    pusherLogin: push.sender.login,
    pushedAt: (Number.isNaN(timestamp.getTime()) ? receivedAt : timestamp).toISOString(),
    commitShas: push.commits.map((commit) => commit.id),
  });
  return { kind: "summarise", job };
}
