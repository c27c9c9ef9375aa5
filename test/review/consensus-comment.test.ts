import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { COMMENT_ONLY_REGEX } from "../../src/prompts/review-answer.js";
import { buildPrecedentIndex, type PrecedentIndex } from "../../src/retrieval/precedent-index.js";
import {
  chooseConsensusComment,
  commentCandidate,
  commentSamplingFor,
  DEFAULT_COMMENT_SAMPLING,
} from "../../src/review/consensus-comment.js";
import type { ReviewModel } from "../../src/review/review-model.js";
import { sentenceChrf } from "../../src/review/sentence-chrf.js";
import { lastUserMessage } from "../../support/llm/fake-openai-server.js";
import { readDiffFixture } from "./support/acceptable-comment-lines.js";
import {
  ADAPTER,
  HARNESS_REVIEW_CONFIG,
  hunkOfRequest,
  REVIEWS_ROUTE,
  type ReviewHarness,
  startReviewHarness,
} from "./support/review-harness.js";

let harness: ReviewHarness | undefined;
afterEach(async () => {
  if (!harness) return;
  // Whatever a test checks, every request must be one GitHub accepts, on lines it accepts.
  expect(harness.github.violations).toEqual([]);
  expect(harness.misplacedComments()).toEqual([]);
  await harness.close();
  harness = undefined;
});

const PAIRS: [string, string][] = [
  ["Could this be simpler?", "Can this be made simpler?"],
  ["nit: typo", "nit: spelling"],
  ["Add a test for the overflow case.", "Please add a test for overflow."],
  ["  spaces   between words ", "spacesbetween words"],
  ["Ünïcödé — naïve café", "naive cafe"],
  ["a", "abc"],
  ["Why?", "No idea why you'd want to do that."],
  ["completely different", "xyz"],
];

describe("sentenceChrf", () => {
  it("agrees with sacrebleu's sentence chrF (the scorer's chrF) on every pair", () => {
    const script = [
      "import json, sys",
      "from sacrebleu.metrics import CHRF",
      "chrf = CHRF()",
      "pairs = json.load(sys.stdin)",
      "print(json.dumps([chrf.sentence_score(h, [r]).score for h, r in pairs]))",
    ].join("\n");
    const expected = JSON.parse(
      execFileSync("python3", ["-c", script], { input: JSON.stringify(PAIRS), encoding: "utf8" }),
    ) as number[];
    expect(expected).toHaveLength(PAIRS.length);
    PAIRS.forEach(([hypothesis, reference], index) => {
      expect(sentenceChrf(hypothesis, reference)).toBeCloseTo(expected[index] ?? Number.NaN, 6);
    });
  });

  it("is 100 for the same text and 0 when either side is empty", () => {
    expect(sentenceChrf("Could this be simpler?", "Could this be simpler?")).toBeCloseTo(100, 9);
    expect(sentenceChrf("", "text")).toBe(0);
    expect(sentenceChrf("text", "   ")).toBe(0);
  });
});

describe("chooseConsensusComment", () => {
  const candidate = (source: "greedy" | "sample" | "precedent", raw: string) => {
    const built = commentCandidate(source, raw);
    if (!built) throw new Error(`no candidate from ${raw}`);
    return built;
  };

  it("chooses the text the other candidates agree with, not one sample's accident", () => {
    const chosen = chooseConsensusComment([
      candidate("greedy", "no idea why you'd want to do that."),
      candidate("sample", "Please add a test for the overflow case."),
      candidate("sample", "Add a test for the overflow case here."),
      candidate("sample", "Could you add a test for overflow?"),
      candidate("sample", "R2018: +1"),
      candidate("precedent", "Add a test for this overflow."),
    ]);
    expect(chosen?.source).toBe("sample");
    expect(chosen?.text).toMatch(/test for the overflow case/);
    expect(chosen?.candidates).toBe(6);
    expect(chosen?.utility).toBeGreaterThan(0);
  });

  it("keeps the earlier candidate on a tie (the greedy answer goes first) and handles one or none", () => {
    const tie = chooseConsensusComment([
      candidate("greedy", "same words"),
      candidate("sample", "same words"),
    ]);
    expect(tie?.source).toBe("greedy");
    expect(chooseConsensusComment([candidate("sample", "alone")])?.text).toBe("alone");
    expect(chooseConsensusComment([])).toBeUndefined();
  });

  it("compares texts as they would be posted: markup and mentions are made inert first", () => {
    const built = commentCandidate(
      "precedent",
      "ping @mallory, see ![x](http://evil.example/x.png)",
    );
    expect(built?.raw).toContain("@mallory");
    expect(built?.text).not.toMatch(/(^|[^\w])@[A-Za-z0-9]/);
    expect(built?.text).not.toContain("http://evil.example");
    expect(commentCandidate("sample", "![](http://evil.example/x.png)")).toBeUndefined();
  });

  it("is off for LLM_COMMENT_SAMPLES=1 and samples n answers with the fixed settings otherwise", () => {
    expect(commentSamplingFor(1)).toBeUndefined();
    expect(commentSamplingFor(4)).toEqual({ ...DEFAULT_COMMENT_SAMPLING, n: 4 });
  });
});

/** Answers for a review whose greedy answers are odd and whose samples agree with each other. */
function greedyAndSamples(params: { greedy: string; samples: string[] }) {
  return (request: { messages: { role: string; content: string }[]; n?: number }) => {
    const { changedAnchors } = hunkOfRequest(lastUserMessage(request as never));
    const anchor = changedAnchors[0];
    return {
      text: `${anchor}: ${params.greedy}`,
      samples: params.samples.map((sample) => `${anchor}: ${sample}`),
      noCommentProbability: 0.2,
    };
  };
}

function postedComments(h: ReviewHarness): string[] {
  return h.github
    .calls(REVIEWS_ROUTE)
    .flatMap((request) => (request.body as { comments: { body: string }[] }).comments)
    .map((comment) => comment.body);
}

describe("the review's comments, by consensus (LLM_COMMENT_SAMPLES)", () => {
  const samples = [
    "Please add a test for the overflow case.",
    "Add a test for the overflow case here.",
    "Could you add a test for overflow?",
    "R2018: +1",
  ];

  it("posts the consensus of 8 samples and asks once more per posted comment, with the comment-only format", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: greedyAndSamples({ greedy: "no idea why you'd want to do that.", samples }),
    });
    await harness.run({
      // Every progress edit shown, so the wording step's is seen.
      config: { ...HARNESS_REVIEW_CONFIG, STATUS_UPDATE_INTERVAL_MS: 1, LLM_COMMENT_SAMPLES: 8 },
    });
    expect(harness.statuses.map((status) => status.headline)).toContain(
      "⏳ Reviewing: every hunk read; choosing the words of 9 comments (8 samples each)…",
    );
    const sampled = harness.hunkRequests().filter((request) => (request.n ?? 1) > 1);
    const greedy = harness.hunkRequests().filter((request) => (request.n ?? 1) === 1);
    const posted = postedComments(harness);
    expect(posted).toHaveLength(9);
    // One greedy request per hunk read, one sampling request per posted comment.
    expect(greedy).toHaveLength(9);
    expect(sampled).toHaveLength(posted.length);
    for (const request of sampled) {
      expect(request).toMatchObject({
        model: ADAPTER.name,
        n: 8,
        temperature: DEFAULT_COMMENT_SAMPLING.temperature,
        top_p: DEFAULT_COMMENT_SAMPLING.topP,
        structured_outputs: { regex: COMMENT_ONLY_REGEX },
      });
      // Unseeded: vLLM's CPU build dies on a seeded request whose prefill is chunked.
      expect(request.seed).toBeUndefined();
      // The same messages as the hunk's greedy request.
      expect(
        greedy.some((other) => JSON.stringify(other.messages) === JSON.stringify(request.messages)),
      ).toBe(true);
    }
    for (const body of posted)
      expect(body).toMatch(/^(Please add|Add) a test for the overflow case/);
  });

  it("keeps the greedy answer when sampling fails, and still posts the review", async () => {
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: (request) =>
        (request.n ?? 1) > 1
          ? { status: 500, message: "sampling broke" }
          : greedyAndSamples({ greedy: "Could this be simpler?", samples })(request),
    });
    await harness.run({
      config: { ...HARNESS_REVIEW_CONFIG, LLM_COMMENT_SAMPLES: 8 },
    });
    const posted = postedComments(harness);
    expect(posted).toHaveLength(9);
    for (const body of posted) expect(body).toMatch(/^Could this be simpler\?/);
  });

  it("may say the reviewer's own precedent again, inert, when the samples agree with it", async () => {
    const index: PrecedentIndex = buildPrecedentIndex({
      builtAt: "2026-01-01T00:00:00Z",
      comments: [
        {
          id: "c1",
          pullNumber: 1,
          path: "src/server.ts",
          createdAt: "2025-01-01T00:00:00Z",
          hunk: { lines: [{ kind: "add", content: "const port = 3000;", newLine: 1 } as never] },
          target: "@mallory please add a test for the overflow case.",
        },
      ],
    });
    const model: ReviewModel = { ...ADAPTER, precedents: index };
    harness = await startReviewHarness({
      diff: readDiffFixture("mixed-changes.diff"),
      answer: greedyAndSamples({
        greedy: "no idea why you'd want to do that.",
        samples: ["please add a test for the overflow case.", "R2018: +1", "x"],
      }),
    });
    await harness.run({
      model,
      config: { ...HARNESS_REVIEW_CONFIG, LLM_COMMENT_SAMPLES: 8 },
    });
    const posted = postedComments(harness);
    expect(posted.length).toBeGreaterThan(0);
    expect(
      posted.some((body) => /mallory please add a test for the overflow case/.test(body)),
    ).toBe(true);
    for (const body of posted) expect(body).not.toMatch(/(^|[^\w])@[A-Za-z0-9]/);
  });
});
