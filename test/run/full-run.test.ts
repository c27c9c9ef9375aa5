import { readFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TEST_CLIENT_ID } from "../../support/app-harness.js";
import { eventually } from "../../support/webhooks.js";
import { acceptableCommentLines } from "../review/support/acceptable-comment-lines.js";
import { type FullRunKit, HEAD_SHA, startFullRun, USER_TOKEN } from "./support/full-run-kit.js";

/**
 * A whole persona run through the real processes' wiring: mention → 👀 and status → sign-in
 * → history over GraphQL (validated against GitHub's schema) → few-shot review with the
 * stand-in LLM → one COMMENT review on lines GitHub accepts.
 */
const DIFF = readFileSync(new URL("../fixtures/diffs/mixed-changes.diff", import.meta.url), "utf8");

let kit: FullRunKit;

beforeEach(async () => {
  // The base model in few-shot mode: comments on hunks that touch a test, silent elsewhere.
  kit = await startFullRun({
    diff: DIFF,
    llm: (request) => {
      const hunk = request.messages.at(-1)?.content ?? "";
      if (request.messages[0]?.content.startsWith("You write the first sentence"))
        return { text: "This pull request reorganises the server code." };
      const anchor = /^(R\d+)/m.exec(
        hunk.split("\n").find((line) => /^R\d+ *[+]/.test(line)) ?? "",
      )?.[1];
      return anchor
        ? { text: `${anchor}: @everyone please add a test for this`, noCommentProbability: 0.05 }
        : { text: "NO_COMMENT", noCommentProbability: 0.99 };
    },
  });
});

afterEach(async () => {
  expect(kit.harness.github.violations).toEqual([]);
  await kit.close();
});

it("reviews a pull request in the reviewer's style from a mention, end to end", async () => {
  const { harness } = kit;
  await kit.mention("@tech-lead-bot alice");

  const signInUrl = await eventually(() => {
    const url = kit
      .statusBodies()
      .map((body) => /\[Sign in with GitHub\]\(([^)]+)\)/.exec(body)?.[1])
      .find(Boolean);
    expect(url).toBeDefined();
    return url as string;
  });
  const toGitHub = await fetch(signInUrl, { redirect: "manual" });
  expect(new URL(toGitHub.headers.get("location") ?? "").searchParams.get("client_id")).toBe(
    TEST_CLIENT_ID,
  );
  await kit.signIn();

  const [review] = await eventually(() => {
    const posted = kit.reviews();
    expect(posted).toHaveLength(1);
    return posted;
  }, 20_000);
  const body = review?.body as {
    event: string;
    body: string;
    commit_id: string;
    comments: { path: string; line: number; side: string; body: string }[];
  };
  expect(body.event).toBe("COMMENT");
  expect(body.commit_id).toBe(HEAD_SHA);
  expect(body.body).toMatch(/few-shot/i);
  expect(body.comments.length).toBeGreaterThan(0);
  const accepted = acceptableCommentLines(DIFF);
  for (const comment of body.comments) {
    expect(
      accepted.has(`${comment.path}:${comment.side}:${comment.line}`),
      `${comment.path}:${comment.side}:${comment.line}`,
    ).toBe(true);
    // The model said "@everyone": nobody may be pinged.
    expect(comment.body).not.toMatch(/(^|[^\u200d])@everyone/);
  }

  // History was read with the requester's token through GraphQL, in a handful of requests.
  const graphqlCalls = harness.github.calls("POST /graphql");
  expect(graphqlCalls.length).toBeGreaterThan(0);
  expect(graphqlCalls.length).toBeLessThan(10);
  expect(graphqlCalls.every((req) => String(req.headers.authorization).endsWith(USER_TOKEN))).toBe(
    true,
  );
  // Few-shot prompts carried the reviewer's own past comments.
  expect(kit.llm.requests.some((request) => request.messages.length > 3)).toBe(true);

  // The status comment ends with the outcome and a link to the review.
  await eventually(() => expect(kit.statusBodies().at(-1)).toContain("pullrequestreview-9"));
  // The scraped history is gone once the run has finished.
  await eventually(async () =>
    expect(await harness.redis.keys(`${harness.config.QUEUE_PREFIX}:history:*:comments`)).toEqual(
      [],
    ),
  );
});
