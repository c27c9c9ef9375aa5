import { readFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { getWhereRecord } from "../../src/where/where-registry.js";
import { eventually } from "../../support/webhooks.js";
import { type FullRunKit, OWNER, REPO, startFullRun } from "./support/full-run-kit.js";

/**
 * A whole persona run with the where-model on: the run fits the reviewer's where-model from the
 * history it collected (the real `python3 -m trainer where fit`), records it beside the
 * adapters, and the review asks the LLM only about the hunks it selects (plus a margin).
 */
const DIFF = readFileSync(new URL("../fixtures/diffs/mixed-changes.diff", import.meta.url), "utf8");

let kit: FullRunKit;

beforeEach(async () => {
  kit = await startFullRun({
    diff: DIFF,
    env: { WHERE_MAX_PRS: "300" },
    llm: (request) => {
      if (request.messages[0]?.content.startsWith("You write the first sentence"))
        return { text: "This pull request reorganises the server code." };
      const hunk = request.messages.at(-1)?.content ?? "";
      const anchor = /^(R\d+)/m.exec(
        hunk.split("\n").find((line) => /^R\d+ *[+]/.test(line)) ?? "",
      )?.[1];
      return anchor
        ? { text: `${anchor}: please add a test for this`, noCommentProbability: 0.05 }
        : { text: "NO_COMMENT", noCommentProbability: 0.99 };
    },
  });
});

afterEach(async () => {
  expect(kit.harness.github.violations).toEqual([]);
  await kit.close();
});

it("fits the where-model in the run, and the review says where it decided to speak", async () => {
  await kit.mention("@tech-lead-bot alice");
  await eventually(() =>
    expect(kit.statusBodies().some((body) => body.includes("Sign in"))).toBe(true),
  );
  await kit.signIn();
  await eventually(() => expect(kit.reviews()).toHaveLength(1), 240_000);
  await eventually(() => expect(kit.statusBodies().at(-1)).toContain("pullrequestreview-9"));

  const record = await getWhereRecord({
    redis: kit.harness.redis,
    keyPrefix: kit.harness.config.QUEUE_PREFIX,
    subject: { owner: OWNER, repo: REPO, reviewerLogin: "alice" },
  });
  expect(record?.model.summary?.totals.hunks).toBeGreaterThan(0);
  const final = kit.statusBodies().at(-1) ?? "";
  const hunksRead = Number(/hunks read: (\d+)/.exec(final)?.[1]);
  // The hunks the model was asked about: one greedy request each (the consensus's sampling
  // requests for the posted comments, `n` > 1, are not hunks read).
  const hunkRequests = kit.llm.requests.filter(
    (request) =>
      !request.messages[0]?.content.startsWith("You write the first sentence") &&
      (request.n ?? 1) === 1,
  ).length;
  if (record?.model.decision.kind === "threshold") {
    const line =
      /where: the where-model \(balanced\) read (\d+) hunks and would comment on (\d+); the model was asked on (\d+)/.exec(
        final,
      );
    expect(line?.[1]).toBe(String(hunksRead));
    expect(Number(line?.[3])).toBe(hunkRequests);
    expect(hunkRequests).toBeLessThanOrEqual(hunksRead);
  } else {
    // Too little history for a threshold: the rate budget decides, and the status says why.
    expect(final).toMatch(
      /where: the reviewer's usual comment rate decided \(too little history to choose a threshold/,
    );
    expect(hunkRequests).toBe(hunksRead);
  }
}, 300_000);
