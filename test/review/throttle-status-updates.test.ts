import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { throttleStatusUpdates } from "../../src/review/throttle-status-updates.js";

describe("throttleStatusUpdates", () => {
  it("edits the status at most once per interval, never right at the start, and always at the end", async () => {
    let now = 0;
    const shown: string[] = [];
    const status = throttleStatusUpdates({
      showStatus: async (headline) => {
        shown.push(headline);
      },
      clock: { now: () => now, sleep: async () => {} },
      intervalMs: 10_000,
      log: pino({ level: "silent" }),
    });
    for (now = 0; now <= 25_000; now += 1_000) {
      const at = now;
      status.progress(() => ({ headline: `at ${at}` }));
    }
    await status.final({ headline: "done" });
    expect(shown).toEqual(["at 10000", "at 20000", "done"]);
    expect(status.writes()).toBe(3);
  });

  it("keeps going when a progress edit fails", async () => {
    let now = 0;
    const shown: string[] = [];
    const status = throttleStatusUpdates({
      showStatus: async (headline) => {
        if (headline === "progress") throw new Error("GitHub said 502");
        shown.push(headline);
      },
      clock: { now: () => now, sleep: async () => {} },
      intervalMs: 1,
      log: pino({ level: "silent" }),
    });
    now = 5;
    status.progress(() => ({ headline: "progress" }));
    await status.final({ headline: "done" });
    expect(shown).toEqual(["done"]);
  });
});
