import { describe, expect, it } from "vitest";
import { createConcurrencyLimit, mapWithLimit } from "../../src/llm/limit-concurrency.js";

describe("createConcurrencyLimit / mapWithLimit", () => {
  it("never runs more than the limit at once, across callers, keeps order, and isolates failures", async () => {
    let running = 0;
    let most = 0;
    const limit = createConcurrencyLimit(4);
    const track = async <T>(value: T, ms: number): Promise<T> => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return value;
    };
    const other = limit(() => track("summary", 20));
    const results = await mapWithLimit({
      items: Array.from({ length: 20 }, (_, i) => i),
      limit,
      worker: async (item) => {
        const value = await track(item * 2, 5 + (item % 3) * 5);
        if (item === 7) throw new Error("hunk 7 failed");
        return value;
      },
    });
    expect(await other).toBe("summary");
    expect(most).toBe(4);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual(
      Array.from({ length: 20 }, (_, i) => (i === 7 ? "failed" : i * 2)),
    );
  });

  it("rejects a limit below 1", () => {
    expect(() => createConcurrencyLimit(0)).toThrow(/at least 1/);
  });
});
