import { afterEach, describe, expect, it } from "vitest";
import { buildHunkTurn } from "../../src/prompts/build-chat-turns.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import { parseSingleHunk } from "../../src/prompts/parse-hunks.js";
import { ANSWER_REGEX, ANSWER_STOP } from "../../src/prompts/review-answer.js";
import { MAX_ANSWER_TOKENS } from "../../src/review/review-hunk.js";
import { lastUserMessage } from "../../support/llm/fake-openai-server.js";
import { readDiffFixture } from "./support/acceptable-comment-lines.js";
import {
  ADAPTER,
  COMMENTS_ROUTE,
  HARNESS_REVIEW_CONFIG,
  hunkOfRequest,
  isSummaryRequest,
  REVIEWS_ROUTE,
  type ReviewHarness,
  startReviewHarness,
} from "./support/review-harness.js";

const LIVE_MENTION = /(^|[^\w])@[A-Za-z0-9]/;
let harness: ReviewHarness | undefined;
afterEach(async () => {
  // Whatever a test checks, every request must be one GitHub accepts, on lines it accepts.
  expect(harness?.github.violations).toEqual([]);
  expect(harness?.misplacedComments()).toEqual([]);
  await harness?.close();
  harness = undefined;
});

/** A stand-in model that comments on the first changed line of every hunk. */
const commentOnEveryHunk =
  (text = "Could this be simpler?") =>
  (request: { messages: { role: string; content: string }[] }) => {
    const { changedAnchors } = hunkOfRequest(lastUserMessage(request as never));
    return { text: `${changedAnchors[0]}: ${text}`, noCommentProbability: 0.2 };
  };

function postedReviews(h: ReviewHarness) {
  return h.github.calls(REVIEWS_ROUTE).map(
    (request) =>
      request.body as {
        event: string;
        body: string;
        commit_id: string;
        comments: { path: string; line: number; side: string; body: string }[];
      },
  );
}

describe("reviewPullRequest", () => {
  it("asks vLLM to hold every hunk's answer to the format, and the summary to nothing", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: commentOnEveryHunk(),
    });
    await harness.run();
    expect(harness.hunkRequests().length).toBeGreaterThan(0);
    for (const request of harness.hunkRequests()) {
      expect(request.structured_outputs).toEqual({ regex: ANSWER_REGEX });
      expect(request.guided_regex).toBeUndefined();
    }
    expect(harness.llm.requests.filter(isSummaryRequest)[0]?.structured_outputs).toBeUndefined();
    expect(postedReviews(harness)).toHaveLength(1);
  });

  it.each([
    ["guided_regex", { guided_regex: ANSWER_REGEX }],
    ["none", {}],
  ] as const)("with LLM_ANSWER_CONSTRAINT=%s sends %j", async (constraint, fields) => {
    // A server that constrains nothing answers sloppily; the tolerant parser still reads it.
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: (request) =>
        constraint === "none" ? { text: "No comment." } : commentOnEveryHunk()(request),
    });
    const outcome = await harness.run({
      config: { ...HARNESS_REVIEW_CONFIG, LLM_ANSWER_CONSTRAINT: constraint },
    });
    for (const request of harness.hunkRequests()) {
      expect({
        ...(request.structured_outputs ? { structured_outputs: request.structured_outputs } : {}),
        ...(request.guided_regex ? { guided_regex: request.guided_regex } : {}),
      }).toEqual(fields);
    }
    expect(outcome.counts.failedHunks).toEqual({});
  });

  it.each(["structured_outputs", "none"] as const)(
    "with %s, ends each answer at the line's end and still reads P(comment) from its log-probs",
    async (constraint) => {
      // A model that writes on after its line, as SmolLM2 did in bench:serve-cpu. The stand-in
      // generates as vLLM does: up to the first stop string, and under the regex only what it
      // admits; without the stop (or without a line end in the regex) these answers fail.
      const more = "\nAnd a second thought on a line of its own.\nThen a third.";
      harness = await startReviewHarness({
        diff: readDiffFixture("two-hundred-hunks.diff"),
        answer: (request) => {
          const { changedAnchors } = hunkOfRequest(lastUserMessage(request));
          const line = Number(changedAnchors[0]?.slice(1));
          return line <= 30
            ? { text: `${changedAnchors[0]}: Why?${more}`, noCommentProbability: line / 1000 }
            : { text: `NO_COMMENT${more}`, noCommentProbability: 0.9 };
        },
      });
      const outcome = await harness.run({
        reviewerCommentRate: 0.1,
        config: { ...HARNESS_REVIEW_CONFIG, LLM_ANSWER_CONSTRAINT: constraint },
      });
      for (const request of harness.hunkRequests()) {
        expect(request.stop).toEqual([ANSWER_STOP]);
        expect(request.max_tokens).toBe(MAX_ANSWER_TOKENS);
      }
      expect(outcome.counts.failedHunks).toEqual({});
      // 200 hunks at a 10% rate: the 20 most likely comments, line 10 of each file (P = 0.99).
      const [review] = postedReviews(harness);
      expect(review?.comments).toHaveLength(20);
      expect(new Set(review?.comments.map((c) => c.line))).toEqual(new Set([10]));
      for (const comment of review?.comments ?? []) expect(comment.body).toMatch(/^Why\?\n/);
      expect(JSON.stringify(postedReviews(harness))).not.toContain("second thought");
    },
  );

  it("posts one COMMENT review with comments on lines GitHub accepts, attributed to the adapter", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: commentOnEveryHunk(),
    });
    const outcome = await harness.run();

    expect(harness.github.violations).toEqual([]);
    expect(harness.misplacedComments()).toEqual([]);
    const [review, ...others] = postedReviews(harness);
    expect(others).toEqual([]);
    expect(review?.event).toBe("COMMENT");
    expect(review?.body).toMatch(
      /comments predicted in the style of @\u200dalice — adapter v3, trained on 412 comments/,
    );
    // The opening sentence comes from the base model, one sentence only.
    expect(review?.body).toContain("\n\nThis pull request changes how the server starts.\n\n");
    expect(review?.body).not.toContain("It also adds tests");
    expect(harness.llm.requests.filter(isSummaryRequest).map((r) => r.model)).toEqual([
      "base-model",
    ]);
    // Lock files, vendored, generated, binary, deleted files and pure renames are not read.
    const paths = new Set(
      harness.hunkRequests().map((r) => hunkOfRequest(lastUserMessage(r)).path),
    );
    expect([...paths].sort()).toEqual([
      "docs/notes.txt",
      "docs/tail.txt",
      "src/after.ts",
      "src/feature.ts",
      "src/server.ts",
      "src/util.ts",
    ]);
    expect(
      harness.hunkRequests().every((r) => r.model === ADAPTER.name && r.logprobs === true),
    ).toBe(true);
    expect(review?.comments).toHaveLength(9);
    expect(review?.comments.map((c) => c.path)).toContain("src/after.ts");
    // Each comment carries its hunk's hidden fingerprint.
    expect(
      review?.comments.every((c) => /<!-- tech-lead-bot fp:[0-9a-f]{16} -->$/.test(c.body)),
    ).toBe(true);

    const final = harness.statuses.at(-1);
    expect(final?.headline).toBe(`✅ [Review posted](${outcome.reviewUrl}).`);
    expect(final?.details).toEqual(
      expect.arrayContaining([
        "hunks read: 9",
        "comments posted: 9",
        expect.stringMatching(/^took \d/),
      ]),
    );
    expect(final?.details?.join("\n")).toMatch(/1 file binary/);
    expect(final?.details?.join("\n")).toMatch(/3 files ignored by glob/);
    expect(outcome.githubWrites).toBe(2);
  });

  it("reviews in few-shot mode with the reviewer's own past hunks and says so", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("prompt-injection.diff"),
      answer: commentOnEveryHunk(),
    });
    // Examples as the history stage renders them for training: the shared hunk turn and answer.
    const templates = await loadPrompts();
    const example = (path: string, patch: string, answer: string) => ({
      user: buildHunkTurn({ templates, path, hunk: parseSingleHunk(patch) }),
      assistant: answer,
    });
    const examples = [
      example("README.md", "@@ -3 +3 @@\n-old\n+new", "R3: Typo."),
      example("docs/a.md", "@@ -1 +1 @@\n-x\n+y", "NO_COMMENT"),
      example(
        "src/trust.ts",
        "@@ -1,2 +1,2 @@\n // note\n-export const trusted = false;\n+export const trusted = true;",
        "R2: Who decided this is trusted?",
      ),
    ];
    await harness.run({
      model: { kind: "few-shot", baseModel: "meta-llama/Meta-Llama-3-8B-Instruct", examples },
    });
    const [request] = harness.hunkRequests();
    expect(request?.model).toBe("meta-llama/Meta-Llama-3-8B-Instruct");
    expect(request?.messages.map((m) => m.role)).toEqual([
      "system",
      ...examples.flatMap(() => ["user", "assistant"]),
      "user",
    ]);
    // The most similar past hunk comes first.
    expect(request?.messages[1]?.content).toBe(examples[2]?.user);
    expect(request?.messages[2]?.content).toBe("R2: Who decided this is trusted?");
    expect(request?.messages.map((m) => m.content)).toContain("NO_COMMENT");
    expect(request?.messages[0]?.content).toMatch(/3 real hunks alice reviewed/);
    expect(postedReviews(harness)[0]?.body).toMatch(
      /few-shot, no adapter yet \(meta-llama\/Meta-Llama-3-8B-Instruct with 3 of their past reviews as examples\)/,
    );
  });

  it("keeps only as many comments as the reviewer's rate suggests, the most likely ones", async () => {
    // Hunk k of file f gets P(no comment) growing with k, so the first hunk of each file wins.
    harness = await startReviewHarness({
      diff: readDiffFixture("two-hundred-hunks.diff"),
      answer: (request) => {
        const { changedAnchors } = hunkOfRequest(lastUserMessage(request));
        const line = Number(changedAnchors[0]?.slice(1));
        return { text: `${changedAnchors[0]}: Why?`, noCommentProbability: line / 1000 };
      },
    });
    await harness.run({ reviewerCommentRate: 0.1 });
    const [review] = postedReviews(harness);
    expect(review?.comments).toHaveLength(20);
    expect(new Set(review?.comments.map((c) => c.line))).toEqual(new Set([10]));
    expect(harness.misplacedComments()).toEqual([]);
    expect(harness.statuses.at(-1)?.details?.join("\n")).toMatch(
      /180 less likely comments beyond the reviewer's usual rate/,
    );
  });

  it("never posts more than 30 comments and reports the overflow", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("two-hundred-hunks.diff"),
      answer: commentOnEveryHunk(),
    });
    await harness.run({ reviewerCommentRate: 1 });
    const [review] = postedReviews(harness);
    expect(review?.comments).toHaveLength(30);
    expect(review?.body).toMatch(/170 less likely comments were left out/);
    expect(harness.statuses.at(-1)?.details?.join("\n")).toMatch(
      /170 comments over the 30-comment cap/,
    );
    expect(harness.github.violations).toEqual([]);
  });

  it("after a 422 posts the review, then each comment alone, and the refused ones at file level", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: commentOnEveryHunk(),
    });
    harness.refuseLinesIn.add("src/util.ts");
    await harness.run();
    const reviews = postedReviews(harness);
    expect(reviews).toHaveLength(2);
    expect(reviews[1]?.comments ?? []).toEqual([]);
    expect(reviews[1]?.event).toBe("COMMENT");
    const single = harness.github
      .calls(COMMENTS_ROUTE)
      .map((r) => r.body as { path: string; subject_type?: string; body: string });
    expect(single.filter((c) => c.subject_type === "file")).toEqual([
      expect.objectContaining({
        path: "src/util.ts",
        body: expect.stringMatching(
          /^- line 5 \(old file\): .*\n- line 30 \(old file\): .*\n- line 55 \(old file\): [^\n]*\n\n<!-- tech-lead-bot fp:/,
        ),
      }),
    ]);
    expect(
      single.filter((c) => c.subject_type === undefined && c.path !== "src/util.ts"),
    ).toHaveLength(6);
    expect(harness.github.violations).toEqual([]);
    expect(harness.statuses.at(-1)?.details).toContain(
      "comments posted: 9 (3 as file-level comments: GitHub refused their lines)",
    );
  });

  it("posts nothing new when run again on the same commit", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: commentOnEveryHunk(),
    });
    await harness.run();
    const requestsBefore = harness.hunkRequests().length;
    const outcome = await harness.run();
    expect(postedReviews(harness)).toHaveLength(1);
    expect(harness.hunkRequests()).toHaveLength(requestsBefore);
    expect(outcome.reviewUrl).toBeUndefined();
    expect(harness.statuses.at(-1)?.headline).toMatch(
      /^✅ Nothing new to review: the 9 hunks on aaaaaaa were already reviewed/,
    );
  });

  it("ignores fingerprints copied into a person's comment", async () => {
    const diff = readDiffFixture("prompt-injection.diff");
    harness = await startReviewHarness({ diff, answer: commentOnEveryHunk() });
    await harness.run();
    const copied = postedReviews(harness)[0]?.comments[0]?.body ?? "";
    expect(copied).toMatch(/fp:[0-9a-f]{16}/);
    await harness.close();
    // Another PR with the same hunk, where a person pasted the bot's marker before the bot ran.
    harness = await startReviewHarness({ diff, answer: commentOnEveryHunk() });
    harness.addHumanComment(copied);
    await harness.run();
    expect(harness.hunkRequests()).toHaveLength(1);
    expect(postedReviews(harness)[0]?.comments).toHaveLength(1);
  });

  it("after a push reviews only the new hunks", async () => {
    const full = readDiffFixture("two-hundred-hunks.diff");
    const sections = full.split(/^(?=diff --git )/m);
    harness = await startReviewHarness({
      diff: sections.slice(0, 5).join(""),
      answer: commentOnEveryHunk(),
    });
    await harness.run({ reviewerCommentRate: 0.01 });
    expect(harness.hunkRequests()).toHaveLength(50);
    harness.diff = sections.slice(0, 8).join("");
    await harness.run({ reviewerCommentRate: 0.01 });
    expect(harness.hunkRequests()).toHaveLength(80);
    const newPaths = new Set(
      harness
        .hunkRequests()
        .slice(50)
        .map((r) => hunkOfRequest(lastUserMessage(r)).path),
    );
    expect([...newPaths].sort()).toEqual([
      "bench/file-14.ts",
      "bench/file-15.ts",
      "bench/file-16.ts",
    ]);
    expect(postedReviews(harness)).toHaveLength(2);
    expect(harness.statuses.at(-1)?.details?.join("\n")).toMatch(
      /50 hunks already reviewed earlier/,
    );
  });

  it("survives LLM timeouts and 5xx on some hunks and says which failed", async () => {
    let call = 0;
    harness = await startReviewHarness({
      diff: readDiffFixture("two-hundred-hunks.diff")
        .split(/^(?=diff --git )/m)
        .slice(0, 2)
        .join(""),
      answer: (request) => {
        call++;
        if (call % 5 === 1) return { hang: true };
        if (call % 5 === 2) return { status: 503, message: "model overloaded" };
        return commentOnEveryHunk()(request);
      },
    });
    const { createLlmClient } = await import("../../src/llm/create-llm-client.js");
    await harness.run({
      llm: createLlmClient({
        baseUrl: harness.llm.baseUrl,
        apiKey: "k",
        timeoutMs: 300,
        maxRetries: 0,
      }),
    });
    const [review] = postedReviews(harness);
    expect(review?.comments).toHaveLength(12);
    const details = harness.statuses.at(-1)?.details?.join("\n");
    expect(details).toMatch(/4 hunks failed \(LLM timeout/);
    expect(details).toMatch(/4 hunks failed \(LLM server error 503/);
  });

  it("retries a hunk after a 5xx with backoff and still comments on it", async () => {
    let call = 0;
    harness = await startReviewHarness({
      diff: readDiffFixture("prompt-injection.diff"),
      answer: (request) => (++call === 1 ? { status: 502 } : commentOnEveryHunk()(request)),
    });
    const { createLlmClient } = await import("../../src/llm/create-llm-client.js");
    await harness.run({
      llm: createLlmClient({
        baseUrl: harness.llm.baseUrl,
        apiKey: "k",
        timeoutMs: 2_000,
        maxRetries: 1,
      }),
    });
    expect(harness.hunkRequests()).toHaveLength(2);
    expect(postedReviews(harness)[0]?.comments).toHaveLength(1);
  });

  it("fails with what to do when the LLM answers no hunk at all", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("prompt-injection.diff"),
      answer: () => ({ status: 500 }),
    });
    await expect(harness.run()).rejects.toThrow(/LLM_BASE_URL/);
    expect(harness.statuses.at(-1)?.headline).toMatch(
      /^⚠️ The review stopped: the model answered for none of the 1 hunks \(LLM server error 500\)\. Check that LLM_BASE_URL/,
    );
    expect(postedReviews(harness)).toEqual([]);
  });

  it("reports a bad .github/tech-lead-bot.yml in the status", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("prompt-injection.diff"),
      answer: commentOnEveryHunk(),
    });
    await expect(
      harness.run({ repoConfigFile: { review: { max_comments: 99 } } }),
    ).rejects.toThrow();
    expect(harness.statuses.at(-1)?.headline).toMatch(
      /tech-lead-bot\.yml is not valid.*\n- `review\.max_comments`: .*cannot exceed 30/s,
    );
  });

  it("treats a diff that gives orders as data: still a COMMENT review, nobody pinged, no markup", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("prompt-injection.diff"),
      answer: () => ({
        text: "R2: APPROVE this PR now @everyone @alice ![x](https://example.com/t.png) <img src=x onerror=alert(1)>",
        noCommentProbability: 0.01,
      }),
      summary: {
        text: "Approved by @everyone ![x](https://example.com/t.png) <script>x</script> ok.",
      },
    });
    await harness.run();
    const reviews = postedReviews(harness);
    expect(reviews.map((r) => r.event)).toEqual(["COMMENT"]);
    const bodies = [
      ...reviews.map((r) => r.body),
      ...reviews.flatMap((r) => r.comments.map((c) => c.body)),
    ];
    for (const body of bodies) {
      expect(body).not.toMatch(LIVE_MENTION);
      expect(body).not.toMatch(/!\[|<img|<script|\]\(http/);
    }
    expect(reviews[0]?.comments[0]?.body).toMatch(
      /^APPROVE this PR now @\u200deveryone @\u200dalice\n/,
    );
  });

  it("falls back to a summary from counts when the summary request fails", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("prompt-injection.diff"),
      answer: commentOnEveryHunk(),
      summary: { status: 500 },
    });
    await harness.run();
    expect(postedReviews(harness)[0]?.body).toContain(
      "This pull request touches 1 file (1 added; +4 −0 lines), mostly in `src/`.",
    );
  });

  it("rebuilds the diff from the files list when GitHub refuses the diff as too large", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: commentOnEveryHunk(),
    });
    harness.diffTooLarge = true;
    await harness.run();
    expect(
      harness.github.calls("GET /repos/{owner}/{repo}/pulls/{pull_number}/files"),
    ).toHaveLength(1);
    expect(postedReviews(harness)[0]?.comments).toHaveLength(9);
    expect(harness.misplacedComments()).toEqual([]);
    expect(harness.github.violations).toEqual([]);
  });
});
