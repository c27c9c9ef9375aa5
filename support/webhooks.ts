import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples" with { type: "json" };
import { sign } from "@octokit/webhooks-methods";
import type { Probot } from "probot";

type Payload = Record<string, unknown> & {
  comment: Record<string, unknown> & { user: Record<string, unknown> };
  repository: Record<string, unknown> & { owner: Record<string, unknown> };
};

export const TEST_WEBHOOK_SECRET = "test-webhook-secret";
export const TEST_INSTALLATION_ID = 4242;

/** A real payload from @octokit/webhooks-examples, deep-copied so tests can edit it. */
function example(name: string, action: string): Payload {
  const group = (examples as unknown as { name: string; examples: Payload[] }[]).find(
    (entry) => entry.name === name,
  );
  const found = group?.examples.find((payload) => payload.action === action);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name}.${action} example`);
  return structuredClone(found);
}

interface CommentOptions {
  body: string;
  login?: string;
  userType?: "User" | "Bot";
  commentId?: number;
  action?: string;
}

function personalise(payload: Payload, options: CommentOptions): Payload {
  payload.comment.body = options.body;
  payload.comment.user.login = options.login ?? "octo-dev";
  payload.comment.user.type = options.userType ?? "User";
  payload.comment.id = options.commentId ?? Math.floor(Math.random() * 1e9) + 1;
  payload.installation = {
    id: TEST_INSTALLATION_ID,
    node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
  };
  return payload;
}

/**
 * An `issue_comment` on a pull request. None of the library's examples is on a PR, so one is
 * adapted the way GitHub shapes it: `issue.pull_request` is present.
 */
export function issueCommentOnPullRequest(
  options: CommentOptions & { pullNumber?: number },
): Payload {
  const payload = personalise(example("issue_comment", options.action ?? "created"), options);
  const issue = payload.issue as Record<string, unknown>;
  issue.number = options.pullNumber ?? 1;
  const fullName = String(payload.repository.full_name);
  issue.pull_request = {
    url: `https://api.github.com/repos/${fullName}/pulls/${issue.number}`,
    html_url: `https://github.com/${fullName}/pull/${issue.number}`,
    diff_url: `https://github.com/${fullName}/pull/${issue.number}.diff`,
    patch_url: `https://github.com/${fullName}/pull/${issue.number}.patch`,
    merged_at: null,
  };
  return payload;
}

/** An `issue_comment` on a plain issue, as in the library. */
export function issueCommentOnIssue(options: CommentOptions): Payload {
  const payload = personalise(example("issue_comment", options.action ?? "created"), options);
  delete (payload.issue as Record<string, unknown>).pull_request;
  return payload;
}

/** A `pull_request_review_comment` (a comment in a review thread). */
export function reviewComment(options: CommentOptions): Payload {
  return personalise(example("pull_request_review_comment", options.action ?? "created"), options);
}

/** A `discussion_comment` in a repository discussion. */
export function discussionComment(options: CommentOptions): Payload {
  return personalise(example("discussion_comment", options.action ?? "created"), options);
}

/**
 * A `pull_request` event from the library (`synchronize` or `closed`) for pull request `number`
 * of `owner/repo`, with its head at `headSha`; `merged` for `closed`.
 */
export function pullRequestEvent(options: {
  action: "synchronize" | "closed";
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  merged?: boolean;
}): Record<string, unknown> {
  const payload = structuredClone(
    findExample("pull_request", (p) => p.action === options.action),
  ) as Record<string, unknown> & {
    pull_request: Record<string, unknown> & { head: Record<string, unknown> };
    repository: Record<string, unknown> & { owner: Record<string, unknown> };
  };
  payload.repository.name = options.repo;
  payload.repository.full_name = `${options.owner}/${options.repo}`;
  payload.repository.owner.login = options.owner;
  payload.pull_request.number = options.number;
  payload.number = options.number;
  payload.pull_request.head.sha = options.headSha;
  if (options.action === "closed") payload.pull_request.merged = options.merged ?? true;
  if (options.action === "synchronize") payload.after = options.headSha;
  payload.installation = {
    id: TEST_INSTALLATION_ID,
    node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
  };
  return payload;
}

/** A `pull_request_review_thread` event from the library whose thread opens with `rootCommentId`. */
export function reviewThreadEvent(options: {
  action: "resolved" | "unresolved";
  rootCommentId: number;
}): Record<string, unknown> {
  const payload = structuredClone(
    findExample("pull_request_review_thread", (p) => p.action === options.action),
  ) as Record<string, unknown> & { thread: { comments: Record<string, unknown>[] } };
  const [root] = payload.thread.comments;
  if (!root) throw new Error("the library's review thread example has no comment");
  root.id = options.rootCommentId;
  payload.installation = {
    id: TEST_INSTALLATION_ID,
    node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
  };
  return payload;
}

function findExample(name: string, test: (payload: { action?: string }) => boolean): unknown {
  const group = (examples as unknown as { name: string; examples: { action?: string }[] }[]).find(
    (entry) => entry.name === name,
  );
  const found = group?.examples.find(test);
  if (!found) throw new Error(`@octokit/webhooks-examples has no matching ${name} example`);
  return found;
}

/** Sends a webhook the way GitHub does: serialised body and an HMAC-SHA256 signature. */
export async function deliverWebhook(params: {
  probot: Probot;
  name: string;
  payload: unknown;
  deliveryId?: string;
  secret?: string;
}): Promise<void> {
  const body = JSON.stringify(params.payload);
  await params.probot.webhooks.verifyAndReceive({
    id: params.deliveryId ?? crypto.randomUUID(),
    name: params.name as never,
    payload: body,
    signature: await sign(params.secret ?? TEST_WEBHOOK_SECRET, body),
  });
}

/**
 * POSTs a webhook to a running server's `/api/github/webhooks` with GitHub's headers; the caller
 * signs `body` (so a measurement can leave the signing out, or put it in).
 */
export function postWebhook(params: {
  origin: string;
  event: string;
  deliveryId: string;
  body: string;
  signature: string;
}): Promise<Response> {
  return fetch(`${params.origin}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": params.event,
      "x-github-delivery": params.deliveryId,
      "x-hub-signature-256": params.signature,
    },
    body: params.body,
  });
}

let privateKey: string | undefined;

/** A real RSA key, so Probot signs real app JWTs against the stand-in GitHub. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return privateKey;
}

/** Waits for `check` to pass, polling; fails with the last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Options for {@link pushEvent}; SHAs are 40 hex digits. */
export interface PushOptions {
  branch?: string;
  before?: string;
  after?: string;
  forced?: boolean;
  deleted?: boolean;
  /** Commit SHAs, oldest first. */
  commits?: string[];
  pusher?: string;
  timestamp?: string;
}

/**
 * A `push` from @octokit/webhooks-examples (the push to `master` of Codertocat/Hello-World, which
 * carries an installation), moved to the branch, SHAs and commits a test needs.
 */
export function pushEvent(options: PushOptions = {}): Record<string, unknown> {
  const group = (
    examples as unknown as { name: string; examples: Record<string, unknown>[] }[]
  ).find((entry) => entry.name === "push");
  const found = group?.examples.find(
    (payload) => payload.ref === "refs/heads/master" && payload.installation !== undefined,
  );
  if (!found) throw new Error("@octokit/webhooks-examples has no push to a branch");
  const payload = structuredClone(found) as Record<string, unknown> & {
    commits: Record<string, unknown>[];
    head_commit: Record<string, unknown> | null;
    sender: Record<string, unknown>;
  };
  const template = payload.commits[0] ?? {};
  const after = options.deleted
    ? "0".repeat(40)
    : (options.after ?? "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
  payload.ref = `refs/heads/${options.branch ?? "master"}`;
  payload.before = options.before ?? "0".repeat(40);
  payload.after = after;
  payload.created = /^0+$/.test(String(payload.before));
  payload.deleted = options.deleted ?? false;
  payload.forced = options.forced ?? false;
  payload.installation = {
    id: TEST_INSTALLATION_ID,
    node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
  };
  payload.commits = options.deleted
    ? []
    : (options.commits ?? [after]).map((sha) => ({
        ...template,
        id: sha,
        tree_id: sha,
        timestamp: options.timestamp ?? template.timestamp,
      }));
  payload.head_commit = options.deleted ? null : (payload.commits.at(-1) ?? null);
  if (options.pusher) payload.sender = { ...payload.sender, login: options.pusher };
  return payload;
}
