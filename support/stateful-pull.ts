import type { FakeGitHub, FakeResponse, RecordedRequest } from "./fake-github.js";

const BOT = { login: "tech-lead-bot[bot]", id: 9000, type: "Bot" };

/** What the stand-in GitHub keeps about pull request #1, as GitHub would. */
interface Saved {
  id: number;
  body: string;
  created_at: string;
  updated_at: string;
  html_url: string;
  user: typeof BOT;
}

/** A fault the next matching requests meet; `saved` means GitHub stored the write first. */
export interface Fault {
  status: number;
  saved?: boolean;
  headers?: Record<string, string>;
  message?: string;
  /** How many requests meet it; default 1. `Infinity` for all. */
  count?: number;
}

export interface StatefulPull {
  issueComments: Saved[];
  reviews: (Saved & { commit_id: string; comments: unknown[] })[];
  reviewComments: Saved[];
  /** Our status comments on the PR (by their hidden marker). */
  statusComments(): Saved[];
  /** Arms a fault on `METHOD /openapi/template`. */
  failNext(route: string, fault: Fault): void;
  /** Changes the head commit the PR reports. */
  setHead(sha: string): void;
}

/**
 * Makes a FakeGitHub stateful for pull request #1: comments, reviews and review comments are
 * stored and listed back, so "did the first attempt save it?" has a real answer, and faults can
 * be armed per route — including a 5xx *after* the write was saved (what a proxy timeout does).
 * Also answers the intake (permission, no repository config, 👀).
 */
export function serveStatefulPull(
  github: FakeGitHub,
  params: {
    headSha: string;
    diff: string;
    /** Called as each review is saved (the bench times the mention → review path with it). */
    onReview?: (request: RecordedRequest) => void;
  },
): StatefulPull {
  let head = params.headSha;
  let nextId = 1000;
  const faults = new Map<string, Fault[]>();
  const issueComments: StatefulPull["issueComments"] = [];
  const reviews: StatefulPull["reviews"] = [];
  const reviewComments: StatefulPull["reviewComments"] = [];
  const save = (body: string, anchor: string): Saved => {
    const id = ++nextId;
    const now = new Date().toISOString();
    return {
      id,
      body,
      created_at: now,
      updated_at: now,
      html_url: `https://github.example/Codertocat/Hello-World/pull/1#${anchor}-${id}`,
      user: BOT,
    };
  };
  /** Runs `write` unless a fault says otherwise; a `saved` fault writes and still fails. */
  const faulty =
    (route: string, write: (request: RecordedRequest) => FakeResponse) =>
    (request: RecordedRequest): FakeResponse => {
      const armed = faults.get(route)?.[0];
      if (!armed) return write(request);
      armed.count = (armed.count ?? 1) - 1;
      if (armed.count <= 0) faults.get(route)?.shift();
      if (armed.saved) write(request);
      return {
        status: armed.status,
        ...(armed.headers ? { headers: armed.headers } : {}),
        body: { message: armed.message ?? "stand-in fault" },
      };
    };
  const page = (items: unknown[], request: RecordedRequest, since?: string) => {
    const perPage = Number(request.query.get("per_page") ?? 30);
    const pageNumber = Number(request.query.get("page") ?? 1);
    const listed = since ? items.filter((item) => (item as Saved).updated_at >= since) : items;
    return { body: listed.slice((pageNumber - 1) * perPage, pageNumber * perPage) };
  };
  const on = (route: string, handler: (request: RecordedRequest) => FakeResponse) =>
    github.on(route, faulty(route, handler));

  on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", () => ({
    body: { permission: "write", role_name: "write" },
  }));
  on("GET /repos/{owner}/{repo}/contents/{path}", () => ({
    status: 404,
    body: { message: "Not Found" },
  }));
  on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", () => ({
    status: 201,
    body: { id: 1, content: "eyes" },
  }));
  on("GET /repos/{owner}/{repo}/pulls/{pull_number}", (request) =>
    String(request.headers.accept).includes("diff")
      ? {
          headers: { "content-type": "application/vnd.github.diff; charset=utf-8" },
          body: params.diff,
        }
      : {
          body: {
            number: 1,
            html_url: "https://github.example/Codertocat/Hello-World/pull/1",
            head: { sha: head },
          },
        },
  );
  on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", (request) =>
    page(issueComments, request, request.query.get("since") ?? undefined),
  );
  on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", (request) => {
    const saved = save((request.body as { body: string }).body, "issuecomment");
    issueComments.push(saved);
    return { status: 201, body: saved };
  });
  on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", (request) => {
    const id = Number(request.pathname.split("/").at(-1));
    const comment = issueComments.find((saved) => saved.id === id);
    if (!comment) return { status: 404, body: { message: "Not Found" } };
    comment.body = (request.body as { body: string }).body;
    comment.updated_at = new Date().toISOString();
    return { body: comment };
  });
  on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", (request) => page(reviews, request));
  on("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", (request) => {
    const body = request.body as { body: string; commit_id: string; comments?: unknown[] };
    const saved = {
      ...save(body.body, "pullrequestreview"),
      commit_id: body.commit_id,
      comments: body.comments ?? [],
    };
    reviews.push(saved);
    params.onReview?.(request);
    return { body: saved };
  });
  on("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", (request) =>
    page(reviewComments, request),
  );
  on("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", (request) => {
    const saved = save((request.body as { body: string }).body, "discussion_r");
    reviewComments.push(saved);
    return { status: 201, body: saved };
  });

  return {
    issueComments,
    reviews,
    reviewComments,
    statusComments: () =>
      issueComments.filter((comment) => comment.body.startsWith("<!-- tech-lead-bot:status")),
    failNext(route, fault) {
      faults.set(route, [...(faults.get(route) ?? []), { ...fault }]);
    },
    setHead(sha) {
      head = sha;
    },
  };
}
