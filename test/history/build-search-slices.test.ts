import { describe, expect, it } from "vitest";
import {
  buildSearchQuery,
  buildSearchSlices,
  type SearchSlice,
} from "../../src/history/build-search-slices.js";

const subject = { owner: "acme", repo: "widgets", reviewerLogin: "alice" };

describe("buildSearchQuery", () => {
  it("asks for the reviewer's pull requests, oldest first, in one creation-time slice", () => {
    const slice = {
      fromMs: Date.parse("2024-01-01T00:00:00Z"),
      toMs: Date.parse("2024-06-30T23:59:59Z"),
    };
    expect(buildSearchQuery({ subject, slice })).toBe(
      "repo:acme/widgets is:pr reviewed-by:alice sort:created-asc created:2024-01-01T00:00:00Z..2024-06-30T23:59:59Z",
    );
  });
});

describe("buildSearchSlices", () => {
  // Pull requests created one per hour over 2,500 hours.
  const start = Date.parse("2024-01-01T00:00:00Z");
  const times = Array.from({ length: 2500 }, (_unused, index) => start + index * 3_600_000);
  const count = (slice: SearchSlice) =>
    times.filter((time) => time >= slice.fromMs && time <= slice.toMs).length;

  it("cuts the range into consecutive slices under the cap that cover every result once", async () => {
    const rounds: number[] = [];
    const slices = await buildSearchSlices({
      range: { fromMs: start, toMs: start + 2600 * 3_600_000 },
      totalCount: 2500,
      countSlices: async (pieces) => {
        rounds.push(pieces.length);
        return pieces.map(count);
      },
    });
    expect(slices.every((slice) => slice.count <= 1000 && slice.count === count(slice))).toBe(true);
    expect(slices.reduce((sum, slice) => sum + slice.count, 0)).toBe(2500);
    for (const [index, slice] of slices.slice(1).entries()) {
      expect(slice.fromMs).toBeGreaterThan(slices[index]?.toMs ?? Number.POSITIVE_INFINITY);
    }
    expect(rounds).toEqual([4]);
  });

  it("splits again where results bunch up", async () => {
    const bunched = [
      ...times.slice(0, 100),
      ...Array.from({ length: 1800 }, (_u, index) => start + 2400 * 3_600_000 + index * 1000),
    ];
    const countBunched = (slice: SearchSlice) =>
      bunched.filter((time) => time >= slice.fromMs && time <= slice.toMs).length;
    const slices = await buildSearchSlices({
      range: { fromMs: start, toMs: start + 2500 * 3_600_000 },
      totalCount: bunched.length,
      countSlices: async (pieces) => pieces.map(countBunched),
    });
    expect(slices.every((slice) => slice.count <= 1000)).toBe(true);
    expect(slices.reduce((sum, slice) => sum + slice.count, 0)).toBe(1900);
  });

  it("fails with a clear message when one second holds more than the cap", async () => {
    await expect(
      buildSearchSlices({
        range: { fromMs: start, toMs: start },
        totalCount: 1001,
        countSlices: async () => [1001],
      }),
    ).rejects.toThrow(/cannot be sliced finer/);
  });
});
