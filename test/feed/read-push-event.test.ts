import examples from "@octokit/webhooks-examples" with { type: "json" };
import { describe, expect, it } from "vitest";
import { pushSummaryJobId } from "../../jobs/push-summary-job.js";
import { readPushEvent } from "../../src/feed/read-push-event.js";
import { cutToLength } from "../../src/feed/summarise-push.js";
import { pushEvent } from "../../support/webhooks.js";

const libraryPushes =
  (examples as unknown as { name: string; examples: Record<string, unknown>[] }[]).find(
    (group) => group.name === "push",
  )?.examples ?? [];

describe("readPushEvent", () => {
  it("skips every tag push and tag deletion in @octokit/webhooks-examples", () => {
    const tags = libraryPushes.filter((payload) => String(payload.ref).startsWith("refs/tags/"));
    expect(tags.length).toBeGreaterThan(0);
    for (const payload of tags) expect(readPushEvent(payload).kind).toBe("skip");
  });

  it.each([
    ["a deleted branch", pushEvent({ branch: "old", deleted: true }), "deleted branch"],
    [
      "a branch push without an installation",
      { ...pushEvent(), installation: undefined },
      "no installation",
    ],
  ])("skips %s", (_, payload, reason) => {
    expect(readPushEvent(payload)).toEqual({ kind: "skip", reason });
  });

  it("reads the branch, the default branch, the pusher and the commits of a branch push", () => {
    const reading = readPushEvent(
      pushEvent({ branch: "main-2", before: "a".repeat(40), after: "b".repeat(40), forced: true }),
    );
    expect(reading).toMatchObject({
      kind: "summarise",
      job: {
        owner: "Codertocat",
        repo: "Hello-World",
        branch: "main-2",
        defaultBranch: "master",
        forced: true,
        commitShas: ["b".repeat(40)],
      },
    });
  });

  it("gives the same push the same job id, whatever the delivery", () => {
    const id = (payload: Record<string, unknown>) => {
      const reading = readPushEvent(payload);
      if (reading.kind !== "summarise") throw new Error("expected a job");
      return pushSummaryJobId(reading.job);
    };
    expect(id(pushEvent({ before: "a".repeat(40), after: "b".repeat(40) }))).toBe(
      id(pushEvent({ before: "a".repeat(40), after: "b".repeat(40), pusher: "someone-else" })),
    );
    expect(id(pushEvent({ before: "a".repeat(40), after: "b".repeat(40) }))).not.toContain(":");
  });

  it("rejects a payload that is not shaped like GitHub's", () => {
    expect(() => readPushEvent({ ref: "refs/heads/x" })).toThrow();
  });
});

describe("cutToLength", () => {
  it.each([
    ["short", 280, "short"],
    ["one two three four", 12, "one two…"],
    ["a   b\n\nc", 280, "a b c"],
  ])("%j within %d → %j", (text, max, expected) => {
    const cut = cutToLength(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });
});
