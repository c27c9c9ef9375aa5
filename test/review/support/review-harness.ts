import { Octokit } from "@octokit/core";
import { pino } from "pino";
import { createLlmClient } from "../../../src/llm/create-llm-client.js";
import { loadReviewPrompts } from "../../../src/review/load-review-prompts.js";
import type { ReviewModel } from "../../../src/review/review-model.js";
import {
  type ReviewOutcome,
  type ReviewPullRequestParams,
  reviewPullRequest,
} from "../../../src/review/review-pull-request.js";
import {
  type FakeGitHub,
  type RecordedRequest,
  startFakeGitHub,
} from "../../../support/fake-github.js";
import {
  type ChatRequest,
  type FakeLlmAnswer,
  type FakeLlmHandler,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../../support/llm/fake-openai-server.js";
import { acceptableCommentLines } from "./acceptable-comment-lines.js";

export const OWNER = "octo-org";
export const REPO = "octo-repo";
export const PULL = 7;
export const HEAD_SHA = "a".repeat(40);
export const REVIEWS_ROUTE = "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews";
export const COMMENTS_ROUTE = "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments";

export const ADAPTER = {
  kind: "adapter",
  name: "octo-org-octo-repo-alice-v3",
  version: 3,
  trainedOn: 412,
} as const satisfies ReviewModel;

/** The review settings every harness run uses unless a test passes its own `config`. */
export const HARNESS_REVIEW_CONFIG = {
  BASE_MODEL_NAME: "base-model",
  LLM_CONCURRENCY: 8,
  LLM_MAX_HUNK_CHARS: 12_000,
  MAX_COMMENTS_PER_REVIEW: 30,
  MAX_HUNKS_PER_REVIEW: 1000,
  STATUS_UPDATE_INTERVAL_MS: 60_000,
} satisfies ReviewPullRequestParams["config"];

interface StoredItem {
  id: number;
  body: string;
  user: { login: string; type: "Bot" | "User" };
  /** Review comments only, as GitHub lists them. */
  path?: string;
  line?: number;
  side?: string;
  commit_id?: string;
}

const BOT = { login: "tech-lead-bot[bot]", type: "Bot" } as const;

/**
 * A PR on the stand-in GitHub (which checks every request against GitHub's OpenAPI description)
 * whose diff tests can change between runs, plus the stand-in LLM. GitHub keeps the reviews and
 * comments posted, so a second run sees the first one's, as on github.com.
 */
export interface ReviewHarness {
  github: FakeGitHub;
  llm: FakeOpenAiServer;
  /** The diff GitHub serves for the PR now. */
  diff: string;
  /** When set, the diff media type answers 406 (too large) and the files list must be used. */
  diffTooLarge: boolean;
  /** Adds a comment by a person to the PR (as GitHub lists it to the next run). */
  addHumanComment(body: string): void;
  /** Paths whose line comments GitHub refuses with 422 (inside a review and one by one). */
  refuseLinesIn: Set<string>;
  statuses: { headline: string; details?: string[] }[];
  run(overrides?: Partial<ReviewPullRequestParams>): Promise<ReviewOutcome>;
  /** The LLM requests about hunks (all but the summary request). */
  hunkRequests(): ChatRequest[];
  /** Every GitHub write: reviews, comments (status edits are counted in `statuses`). */
  writes(): RecordedRequest[];
  /** Comments (in reviews or alone) that are not on a line GitHub accepts for the current diff. */
  misplacedComments(): string[];
  close(): Promise<void>;
}

/** True for the one request that asks for the review's summary sentence (prompts/summary.md). */
export function isSummaryRequest(request: ChatRequest): boolean {
  return (
    request.messages[0]?.content.startsWith("You write the first sentence of a code review") ??
    false
  );
}

export async function startReviewHarness(params: {
  diff: string;
  answer: FakeLlmHandler;
  summary?: FakeLlmAnswer;
}): Promise<ReviewHarness> {
  const github = await startFakeGitHub();
  const summary = params.summary ?? {
    text: "This pull request changes how the server starts. It also adds tests.",
  };
  const llm = await startFakeOpenAiServer((request) =>
    isSummaryRequest(request) ? summary : params.answer(request),
  );
  const templates = await loadReviewPrompts();
  const reviews: StoredItem[] = [];
  const comments: StoredItem[] = [];
  let nextId = 100;
  const harness: ReviewHarness = {
    github,
    llm,
    diff: params.diff,
    diffTooLarge: false,
    refuseLinesIn: new Set(),
    statuses: [],
    async run(overrides = {}) {
      const octokit = new Octokit({ baseUrl: github.apiBaseUrl, auth: "ghs_test" });
      return reviewPullRequest({
        octokit,
        owner: OWNER,
        repo: REPO,
        pullNumber: PULL,
        headSha: HEAD_SHA,
        reviewerLogin: "alice",
        model: ADAPTER,
        reviewerCommentRate: 1,
        repoConfigFile: {},
        llm: createLlmClient({
          baseUrl: llm.baseUrl,
          apiKey: "test",
          timeoutMs: 5_000,
          maxRetries: 0,
        }),
        templates,
        config: HARNESS_REVIEW_CONFIG,
        showStatus: async (headline, details) => {
          harness.statuses.push(details ? { headline, details } : { headline });
        },
        log: pino({ level: "silent" }),
        clock: { now: () => Date.now(), sleep: async () => {} },
        ...overrides,
      });
    },
    hunkRequests: () => llm.requests.filter((request) => !isSummaryRequest(request)),
    addHumanComment(body) {
      comments.push({ id: nextId++, body, user: { login: "mallory", type: "User" } });
    },
    writes: () => github.requests.filter((request) => request.method !== "GET"),
    misplacedComments() {
      const accepted = acceptableCommentLines(harness.diff);
      const placed = [
        ...github
          .calls(REVIEWS_ROUTE)
          .flatMap((request) => (request.body as { comments?: Placed[] }).comments ?? []),
        ...github
          .calls(COMMENTS_ROUTE)
          .map((request) => request.body as Placed)
          .filter((comment) => comment.line !== undefined),
      ];
      return placed
        .map((comment) => `${comment.path}:${comment.side}:${comment.line}`)
        .filter((key) => !accepted.has(key));
    },
    async close() {
      await Promise.all([github.close(), llm.close()]);
    },
  };

  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", (request) => {
    if (!String(request.headers.accept).includes("diff")) return { status: 415 };
    if (harness.diffTooLarge) {
      return {
        status: 406,
        body: { message: "Sorry, the diff exceeded the maximum number of files (300)." },
      };
    }
    return {
      headers: { "content-type": "application/vnd.github.diff; charset=utf-8" },
      body: harness.diff,
    };
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", (request) => {
    const page = Number(request.query.get("page") ?? 1);
    const perPage = Number(request.query.get("per_page") ?? 30);
    return { body: filesListOf(harness.diff).slice((page - 1) * perPage, page * perPage) };
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { body: reviews });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", { body: comments });
  github.on(REVIEWS_ROUTE, (request) => {
    const body = request.body as { body: string; commit_id: string; comments?: Placed[] };
    if ((body.comments ?? []).some((comment) => refuses(harness, comment))) {
      return {
        status: 422,
        body: { message: "Unprocessable Entity", errors: ["Line could not be resolved"] },
      };
    }
    const id = nextId++;
    reviews.push({ id, body: body.body, user: BOT });
    for (const comment of body.comments ?? [])
      comments.push({ id: nextId++, ...placedAs(comment, body.commit_id), user: BOT });
    return { body: reviewResponse(id, body.body) };
  });
  github.on(COMMENTS_ROUTE, (request) => {
    const body = request.body as Placed & { body: string; commit_id: string };
    if (refuses(harness, body)) {
      return {
        status: 422,
        body: {
          message: "Unprocessable Entity",
          errors: ["pull_request_review_thread.line must be part of the diff"],
        },
      };
    }
    const id = nextId++;
    comments.push({ id, ...placedAs(body, body.commit_id), user: BOT });
    return { status: 201, body: { id, body: body.body } };
  });
  return harness;
}

interface Placed {
  path: string;
  line?: number;
  side?: string;
  body: string;
  subject_type?: string;
}

function placedAs(comment: Placed, commitId: string) {
  return {
    body: comment.body,
    path: comment.path,
    ...(comment.line !== undefined ? { line: comment.line } : {}),
    ...(comment.side !== undefined ? { side: comment.side } : {}),
    commit_id: commitId,
  };
}

function refuses(harness: ReviewHarness, comment: Placed): boolean {
  return comment.subject_type !== "file" && harness.refuseLinesIn.has(comment.path);
}

function reviewResponse(id: number, body: string) {
  return {
    id,
    body,
    state: "COMMENTED",
    commit_id: HEAD_SHA,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${PULL}#pullrequestreview-${id}`,
  };
}

/** GitHub's files list for a diff: headers stripped from each file's patch, as GitHub sends it. */
function filesListOf(diff: string) {
  return diff
    .split(/^(?=diff --git )/m)
    .filter((section) => section.startsWith("diff --git "))
    .map((section) => {
      const lines = section.replace(/\n$/, "").split("\n");
      const paths = /^diff --git a\/(.*) b\/(.*)$/.exec(lines[0] ?? "");
      const status = section.includes("\nnew file mode")
        ? "added"
        : section.includes("\ndeleted file mode")
          ? "removed"
          : paths?.[1] !== paths?.[2]
            ? "renamed"
            : "modified";
      const firstHunk = lines.findIndex((line) => line.startsWith("@@"));
      return {
        filename: paths?.[2],
        ...(status === "renamed" ? { previous_filename: paths?.[1] } : {}),
        status,
        ...(firstHunk >= 0 ? { patch: lines.slice(firstHunk).join("\n") } : {}),
      };
    });
}

/** The hunk a stand-in LLM request is about: its path and the anchors of its changed lines. */
export function hunkOfRequest(content: string): { path: string; changedAnchors: string[] } {
  const path = /^File: (.*)$/m.exec(content)?.[1] ?? "";
  const changedAnchors = [...content.matchAll(/^([RL]\d+) +[+-]/gm)].map((match) => match[1] ?? "");
  return { path, changedAnchors };
}
