import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeLlmHandler } from "../../support/llm/fake-openai-server.js";
import { eventually } from "../../support/webhooks.js";
import { liveMarkup } from "../support/live-markup.js";
import { type FullRunKit, REQUESTER, startFullRun } from "./support/full-run-kit.js";

/**
 * Bad or odd input that reaches the review stage through the signed webhook path: diffs with
 * nothing to read line by line, diffs whose code carries links and references a model repeats,
 * and reviewers with no history at all. Each says what really happened, posts nothing it should
 * not, and renders nothing live.
 */
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/diffs/${name}`, import.meta.url), "utf8");

/** A model that repeats the hunk's first added line as its comment, links and all. */
const parrot: FakeLlmHandler = (request) => {
  if (request.messages[0]?.content.startsWith("You write the first sentence"))
    return { text: "Adds [docs](https://evil.example/d) for #5, cc @octo-org/everyone." };
  const row = (request.messages.at(-1)?.content ?? "")
    .split("\n")
    .find((line) => /^R\d+ *\+/.test(line));
  const match = row ? /^(R\d+) *\+(.*)$/.exec(row) : null;
  return match
    ? { text: `${match[1]}: ${match[2]}`, noCommentProbability: 0.01 }
    : { text: "NO_COMMENT", noCommentProbability: 0.99 };
};

let kit: FullRunKit | undefined;

afterEach(async () => {
  expect(kit?.harness.github.violations).toEqual([]);
  await kit?.close();
  kit = undefined;
});

/** Runs one mention to its end; returns the status comment's last state. */
async function runToEnd(params: {
  diff: string;
  command?: string;
  repoConfigYaml?: string;
}): Promise<string> {
  kit = await startFullRun({
    diff: params.diff,
    llm: parrot,
    ...(params.repoConfigYaml === undefined ? {} : { repoConfigYaml: params.repoConfigYaml }),
  });
  await kit.mention(params.command ?? "@tech-lead-bot alice");
  await kit.signIn();
  const { personaQueue } = kit.harness;
  await eventually(async () => {
    const counts = await personaQueue.getJobCounts("completed", "failed");
    expect((counts.completed ?? 0) + (counts.failed ?? 0)).toBe(1);
  }, 30_000);
  return kit.statusBodies().at(-1) ?? "";
}

const hunkRequests = () =>
  (kit?.llm.requests ?? []).filter(
    (request) => !request.messages[0]?.content.startsWith("You write the first sentence"),
  );

describe("a diff with nothing to read says what it holds", () => {
  it.each([
    ["an empty diff", "", /Nothing to review.*no changed files/],
    ["a binary file", fixture("binary-only.diff"), /Nothing to review.*1 file binary/],
    ["a GIT binary patch", fixture("binary-patch-only.diff"), /Nothing to review.*1 file binary/],
    ["a pure rename", fixture("rename-only.diff"), /Nothing to review.*1 file with no text change/],
    ["a mode change", fixture("mode-only.diff"), /Nothing to review.*1 file with no text change/],
  ])(
    "%s",
    async (_label, diff, expected) => {
      const status = await runToEnd({ diff });
      expect(status).toMatch(expected);
      expect(status).not.toMatch(/already reviewed/);
      expect(kit?.reviews()).toEqual([]);
      expect(hunkRequests()).toEqual([]);
    },
    60_000,
  );

  it("every file ignored by the repository's globs", async () => {
    const status = await runToEnd({
      diff: fixture("mixed-changes.diff"),
      repoConfigYaml: 'review:\n  ignore: ["**"]\n',
    });
    expect(status).toMatch(/Nothing to review.*ignored by glob/);
    expect(status).not.toMatch(/already reviewed/);
    expect(kit?.reviews()).toEqual([]);
  }, 60_000);
});

describe("a diff whose code carries links, mentions and references", () => {
  it.each([["injected-links.diff"], ["prompt-injection.diff"]])(
    "%s: the model repeats them, the review renders none",
    async (name) => {
      await runToEnd({ diff: fixture(name) });
      const [review, ...more] = kit?.reviews() ?? [];
      expect(more).toEqual([]);
      const body = review?.body as { body: string; comments: { body: string }[] };
      expect(body.comments.length).toBeGreaterThan(0);
      // The bot's own hidden markers (which hunks were read) are its HTML; nothing else may be.
      const ownMarkers = /<!-- tech-lead-bot[ :][^<>]*-->/g;
      for (const text of [body.body, ...body.comments.map((comment) => comment.body)].map((t) =>
        t.replace(ownMarkers, ""),
      )) {
        expect(liveMarkup(text, ["alice"])).toEqual([]);
        expect(text).not.toContain("evil.example");
      }
    },
    60_000,
  );
});

describe("a reviewer with no history", () => {
  it.each([
    ["a login that never reviewed here", "ghost-user"],
    ["a login that does not exist", "no-such-user-4711"],
  ])(
    "%s: says so and stops",
    async (_label, login) => {
      const status = await runToEnd({
        diff: fixture("mixed-changes.diff"),
        command: `@tech-lead-bot ${login}`,
      });
      expect(status).toContain(`\`${login}\` has no review comments in`);
      expect(status).toContain(`@${REQUESTER.login}`);
      expect(kit?.reviews()).toEqual([]);
      expect(kit?.llm.requests).toEqual([]);
      // The run ended cleanly: nothing collected stays behind.
      expect(
        await kit?.harness.redis.keys(`${kit.harness.config.QUEUE_PREFIX}:history:*:comments`),
      ).toEqual([]);
    },
    60_000,
  );
});
