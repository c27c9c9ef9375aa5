import { describe, expect, it } from "vitest";
import {
  describeDuration,
  describeEpochs,
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

  it("states the epochs reached and planned, and whether the budget holds the whole history", () => {
    const progress = {
      phase: "training" as const,
      step: 30,
      totalSteps: 139,
      loss: 1.5,
      tokensPerSecond: 30,
      etaSeconds: 600,
      budget: { tokens: 600_000, minutes: 20 },
    };
    expect(
      renderTrainingStatus({
        ...base,
        progress: { ...progress, epochs: { reached: 0.28, planned: 1.3 } },
      }).details,
    ).toEqual([
      "`████░░░░░░░░░░░░░░░░` 21%",
      "loss 1.50 · 30 learned tokens/s · about 10 min left · 0.3 of 1.3 epochs",
      "CPU training budget: about 20 min, at most 600,000 tokens; the whole history fits.",
    ]);
    expect(
      renderTrainingStatus({
        ...base,
        progress: { ...progress, epochs: { reached: 0.1, planned: 0.35 } },
      }).details[2],
    ).toBe(
      "CPU training budget: about 20 min, at most 600,000 tokens; older history waits for the next version.",
    );
    expect(describeEpochs({ reached: 1.25 })).toBe("1.3 epochs");
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
