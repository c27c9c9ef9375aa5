import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  parseRepoReviewConfig,
  repoAccessConfigSchema,
} from "../../src/github/repo-config-schema.js";

describe("the example .github/tech-lead-bot.yml", () => {
  const example = parse(readFileSync(".github/tech-lead-bot.yml", "utf8"));

  it("is valid for every reader, and its values are the defaults", () => {
    expect(repoAccessConfigSchema.parse(example)).toMatchObject(repoAccessConfigSchema.parse({}));
    expect(parseRepoReviewConfig(example)).toEqual(parseRepoReviewConfig(null));
  });

  it("names every key the readers know", () => {
    const text = readFileSync(".github/tech-lead-bot.yml", "utf8");
    const keys = [
      "enabled",
      "personas",
      "deny",
      ...Object.keys(parseRepoReviewConfig(null)),
      "max_comments",
      "max_hunks",
    ];
    for (const key of keys) expect(text).toMatch(new RegExp(`^\\s*(# )?${key}:`, "m"));
  });
});
