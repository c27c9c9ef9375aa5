import { describe, expect, it } from "vitest";
import { attribution } from "../../src/review/build-review-body.js";

describe("attribution", () => {
  it("names the adapter version and how many comments it learned from", () => {
    expect(
      attribution("alice", { kind: "adapter", name: "o-r-alice-v3", version: 3, trainedOn: 412 }),
    ).toBe(
      "comments predicted in the style of @\u200dalice — adapter v3, trained on 412 comments. Not written by @\u200dalice.",
    );
  });

  it("quotes the adapter's holdout evaluation when it has one", () => {
    const text = attribution("alice", {
      kind: "adapter",
      name: "o-r-alice-v3",
      version: 3,
      trainedOn: 412,
      evaluation: "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot",
    });
    expect(text).toContain(
      "adapter v3, trained on 412 comments (holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot)",
    );
  });

  it("says a review is few-shot and why there is no adapter", () => {
    const text = attribution("alice", {
      kind: "few-shot",
      baseModel: "base",
      examples: [{ user: "u", assistant: "NO_COMMENT" }],
      reason: "training is not enabled on this deployment (TRAINING_ENABLED=false)",
    });
    expect(text).toContain(
      "few-shot, no adapter yet: training is not enabled on this deployment (TRAINING_ENABLED=false) (base with 1 of their past reviews as examples)",
    );
  });

  it("names a local checkpoint folder by its name, not the server's path", () => {
    const text = attribution("alice", {
      kind: "few-shot",
      baseModel: "/root/.cache/tech-lead-bot/models/smollm2-135m",
      examples: [],
    });
    expect(text).toContain("(smollm2-135m with 0 of their past reviews as examples)");
    expect(text).not.toContain("/root");
  });

  it("never pings the reviewer", () => {
    expect(attribution("alice", { kind: "few-shot", baseModel: "base", examples: [] })).not.toMatch(
      /@alice/,
    );
  });
});
