import { describe, expect, it } from "vitest";
import {
  describeDuration,
  renderProgressBar,
  renderTrainingStatus,
} from "../../src/train/render-training-status.js";

describe("renderProgressBar", () => {
  it.each([
    [0, "`░░░░░░░░░░░░░░░░░░░░` 0%"],
    [0.5, "`██████████░░░░░░░░░░` 50%"],
    [2 / 3, "`█████████████░░░░░░░` 66%"],
    [1, "`████████████████████` 100%"],
    [1.7, "`████████████████████` 100%"],
    [Number.NaN, "`░░░░░░░░░░░░░░░░░░░░` 0%"],
  ])("draws %d as %s", (fraction, bar) => {
    expect(renderProgressBar(fraction)).toBe(bar);
  });
});

describe("describeDuration", () => {
  it.each([
    [0, "about 0 s"],
    [42.4, "about 42 s"],
    [118, "about 2 min"],
    [3_900, "about 1 h 5 min"],
  ])("says %d s as %s", (seconds, text) => {
    expect(describeDuration(seconds)).toBe(text);
  });
});

describe("renderTrainingStatus", () => {
  const base = { reviewerLogin: "alice", version: 3 };
  it("shows step, bar and figures while training", () => {
    expect(
      renderTrainingStatus({
        ...base,
        progress: {
          phase: "training",
          step: 31,
          totalSteps: 62,
          loss: 1.934,
          tokensPerSecond: 5120.4,
          etaSeconds: 118,
        },
      }),
    ).toEqual({
      headline: "🏋️ Training `alice`'s adapter (v3): step 31 of 62.",
      details: [
        "`██████████░░░░░░░░░░` 50%",
        "loss 1.93 · 5,120 learned tokens/s · about 2 min left",
      ],
    });
  });

  it("states a CPU profile's budget", () => {
    const status = renderTrainingStatus({
      ...base,
      progress: {
        phase: "training",
        step: 2,
        totalSteps: 8,
        loss: 2.1,
        tokensPerSecond: 161.7,
        etaSeconds: 900,
        budget: { tokens: 192_000, minutes: 20 },
      },
    });
    expect(status.details).toEqual([
      "`█████░░░░░░░░░░░░░░░` 25%",
      "loss 2.10 · 162 learned tokens/s · about 15 min left",
      "CPU training budget: about 20 min, at most 192,000 tokens; older history waits for the next version.",
    ]);
  });

  it("leaves out figures the trainer did not report", () => {
    const status = renderTrainingStatus({
      ...base,
      progress: {
        phase: "training",
        step: 1,
        totalSteps: 4,
        loss: null,
        tokensPerSecond: null,
        etaSeconds: null,
      },
    });
    expect(status.details).toEqual(["`█████░░░░░░░░░░░░░░░` 25%"]);
  });

  it("says a failed attempt will be retried, and why it failed", () => {
    expect(
      renderTrainingStatus({
        ...base,
        progress: { phase: "retrying", attempt: 1, maxAttempts: 3, message: "killed by SIGKILL" },
      }),
    ).toEqual({
      headline: "⚠️ Training `alice`'s adapter (v3) failed on attempt 1 of 3; it will be retried.",
      details: ["What went wrong: killed by SIGKILL"],
    });
  });
});
