import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseBackportsRepoConfig } from "../../src/backports/backports-repo-config.js";

describe("the backports: section of .github/tech-lead-bot.yml", () => {
  it("the example in the shipped file is valid once uncommented", () => {
    const text = readFileSync(".github/tech-lead-bot.yml", "utf8");
    const block = text.slice(text.indexOf("# backports:"));
    const uncommented = block
      .split("\n")
      .map((line) => line.replace(/^# /, ""))
      .join("\n");
    expect(parseBackportsRepoConfig(parse(uncommented), "acme/shop")).toEqual({
      stable: ["release-1.4"],
      schedule: "0 5 * * 1",
      dev: "main",
      history: ["release-1.3", "release-1.2"],
      bold: "^(BUG|DOC)/",
    });
    // Shipped commented out: no repository gets a schedule it did not ask for.
    expect(parseBackportsRepoConfig(parse(text), "acme/shop")).toBeUndefined();
  });

  it.each([
    [{ backports: { stable: [] } }, "backports.stable lists no branch"],
    [
      { backports: { stable: ["r1"], schedule: "daily" } },
      "backports.schedule must be a cron pattern",
    ],
    [{ backports: { stable: ["r1"], bold: "(" } }, "backports.bold must be a regular expression"],
  ])("refuses %j naming the field", (raw, message) => {
    expect(() => parseBackportsRepoConfig(raw, "acme/shop")).toThrow(message);
  });

  it("defaults the schedule to daily at 05:00 UTC", () => {
    expect(parseBackportsRepoConfig({ backports: { stable: ["r1"] } }, "acme/shop")?.schedule).toBe(
      "0 5 * * *",
    );
  });
});
