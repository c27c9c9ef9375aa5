import {
  discussionComment,
  issueCommentOnIssue,
  issueCommentOnPullRequest,
  reviewComment,
} from "../../../support/webhooks.js";

/** A signed webhook the bot cannot or need not use, and how the server must answer it. */
export interface BadPayloadCase {
  label: string;
  event: string;
  /** A payload object, or the raw body as sent. */
  body: unknown;
  status: number;
  /** True when the answer must come with exactly one warning line (and no error). */
  warns: boolean;
}

type Edit = (payload: Record<string, unknown>) => void;

/** A real `@octokit/webhooks-examples` payload with one thing broken. */
function broken(
  label: string,
  make: () => Record<string, unknown>,
  event: string,
  edit: Edit,
): BadPayloadCase {
  const payload = make();
  edit(payload);
  return { label, event, body: payload, status: 400, warns: true };
}

const onPull = () => issueCommentOnPullRequest({ body: "@tech-lead-bot alice" });
const inThread = () => reviewComment({ body: "@tech-lead-bot alice" });
const inDiscussion = () => discussionComment({ body: "@tech-lead-bot alice" });
const at = (payload: Record<string, unknown>, key: string) =>
  payload[key] as Record<string, unknown>;

/** Payloads that break the fields the bot relies on: 400 and one warning, nothing queued. */
export const BAD_PAYLOADS: BadPayloadCase[] = [
  broken("issue_comment without installation", onPull, "issue_comment", (p) => {
    delete p.installation;
  }),
  broken("installation id as a string", onPull, "issue_comment", (p) => {
    p.installation = { id: "4242" };
  }),
  broken("installation id zero", onPull, "issue_comment", (p) => {
    p.installation = { id: 0 };
  }),
  broken("no comment", onPull, "issue_comment", (p) => {
    delete p.comment;
  }),
  broken("comment id negative", onPull, "issue_comment", (p) => {
    at(p, "comment").id = -1;
  }),
  broken("comment id a float", onPull, "issue_comment", (p) => {
    at(p, "comment").id = 1.5;
  }),
  broken("comment without user", onPull, "issue_comment", (p) => {
    delete at(p, "comment").user;
  }),
  broken("user id as a string", onPull, "issue_comment", (p) => {
    (at(p, "comment").user as Record<string, unknown>).id = "21031067";
  }),
  broken("user without login", onPull, "issue_comment", (p) => {
    delete (at(p, "comment").user as Record<string, unknown>).login;
  }),
  broken("comment body a number", onPull, "issue_comment", (p) => {
    at(p, "comment").body = 42;
  }),
  broken("no repository", onPull, "issue_comment", (p) => {
    delete p.repository;
  }),
  broken("repository without owner", onPull, "issue_comment", (p) => {
    delete at(p, "repository").owner;
  }),
  broken("issue number zero", onPull, "issue_comment", (p) => {
    at(p, "issue").number = 0;
  }),
  broken("no issue", onPull, "issue_comment", (p) => {
    delete p.issue;
  }),
  broken("review comment without pull_request", inThread, "pull_request_review_comment", (p) => {
    delete p.pull_request;
  }),
  broken("review comment body null", inThread, "pull_request_review_comment", (p) => {
    at(p, "comment").body = null;
  }),
  broken("discussion without node_id", inDiscussion, "discussion_comment", (p) => {
    delete at(p, "discussion").node_id;
  }),
  broken("discussion comment without node_id", inDiscussion, "discussion_comment", (p) => {
    delete at(p, "comment").node_id;
  }),
  { label: "a JSON array", event: "issue_comment", body: "[]", status: 400, warns: true },
  { label: "a JSON string", event: "issue_comment", body: '"hello"', status: 400, warns: true },
  { label: "JSON null", event: "issue_comment", body: "null", status: 400, warns: true },
  { label: "a JSON number", event: "issue_comment", body: "42", status: 400, warns: true },
  { label: "not JSON", event: "issue_comment", body: "{not json", status: 400, warns: true },
  { label: "an empty body", event: "issue_comment", body: "", status: 400, warns: true },
  {
    label: "truncated JSON",
    event: "issue_comment",
    body: '{"action":"created","comment":{"id":1,"body":"@tech-lead-bot alice",',
    status: 400,
    warns: true,
  },
  // Shapes the bot does not act on: answered 200 quietly, as before.
  ...(() => {
    const edited = issueCommentOnPullRequest({ body: "@tech-lead-bot alice", action: "edited" });
    delete (edited as Record<string, unknown>).installation;
    const nullBody = onPull();
    at(nullBody, "comment").body = null;
    const noCommand = issueCommentOnIssue({ body: "x".repeat(200_000) });
    return [
      { label: "an edited comment missing fields", event: "issue_comment", body: edited },
      { label: "a comment with a null body", event: "issue_comment", body: nullBody },
      { label: "a 200 kB comment without a command", event: "issue_comment", body: noCommand },
      {
        label: "an event the bot does not subscribe to",
        event: "star",
        body: { action: "created" },
      },
    ].map((entry) => ({ ...entry, status: 200, warns: false }));
  })(),
];
