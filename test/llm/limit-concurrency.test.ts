import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../src/llm/limit-concurrency.js";

describe("mapWithConcurrency", () => {
  it("never runs more than the limit at once, keeps input order, and isolates failures", async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency({
      items: Array.from({ length: 20 }, (_, i) => i),
      concurrency: 4,
      worker: async (item) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5 + (item % 3) * 5));
        running--;
        if (item === 7) throw new Error("hunk 7 failed");
        return item * 2;
      },
    });
    expect(most).toBe(4);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual(
      Array.from({ length: 20 }, (_, i) => (i === 7 ? "failed" : i * 2)),
    );
  });

  it("rejects a limit below 1", async () => {
    await expect(
      mapWithConcurrency({ items: [1], concurrency: 0, worker: async () => 1 }),
    ).rejects.toThrow(/at least 1/);
  });
});
