import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrainingRows } from "../../src/backports/build-training-rows.js";
import type { CommitRecord } from "../../src/backports/commit-record.js";
import { extractCommitFeatures } from "../../src/backports/extract-commit-features.js";
import { fitVerdictModel, predictWithLearner } from "../../src/backports/fit-verdict-model.js";
import { hashFeatures } from "../../src/backports/hash-features.js";
import { applyVerdictModel, type VerdictModel } from "../../src/backports/verdict-model.js";

const DAY = 86_400_000;
const START = Date.parse("2024-01-01T00:00:00Z");

/** Commits of a project whose crash fixes in core/ get backported and whose features do not. */
function makeRecords(count: number): CommitRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const fix = index % 3 !== 0;
    const backported = fix ? index % 7 !== 0 : index % 11 === 0;
    const landed = new Date(START + index * DAY).toISOString();
    return {
      repo: "acme/shop",
      stable_branch: "release-1.0",
      sha: index.toString(16).padStart(40, "0"),
      author_date: landed,
      landed_date: landed,
      subject: fix ? `core: fix crash in parser ${index}` : `ui: add widget ${index}`,
      message: fix
        ? `core: fix crash in parser ${index}\n\nFixes: #${index}`
        : `ui: add widget ${index}\n\nNew option.`,
      files_changed: [fix ? `core/parse-${index}.c` : `ui/widget-${index}.ts`],
      insertions: 3 + (index % 40),
      deletions: index % 5,
      backported,
      backport_sha: backported ? "f".repeat(40) : null,
      days_to_backport: backported ? (index % 4) * 10 : null,
    };
  });
}

let dir: string;
let model: VerdictModel;
const records = makeRecords(90);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backports-parity-"));
  const rows = buildTrainingRows({ records: records.slice(0, 60), cutoffMs: START + 200 * DAY });
  model = await fitVerdictModel({ rows });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the verdict model on both sides", () => {
  it("gives the same probabilities in Node as python -m trainer backports predict", async () => {
    const modelPath = join(dir, "model.json");
    await writeFile(modelPath, JSON.stringify(model));
    const unseen = records.slice(60);
    const features = unseen.map((record) => extractCommitFeatures(record));
    const fromPython = await predictWithLearner({
      modelPath,
      rows: unseen.map((record, index) => ({
        id: record.sha,
        t: 0,
        x: hashFeatures(features[index] as Map<string, number>),
      })),
    });
    expect(fromPython).toHaveLength(unseen.length);
    for (const [index, answer] of fromPython.entries()) {
      const ours = applyVerdictModel(model, features[index] as Map<string, number>);
      expect(answer.id).toBe(unseen[index]?.sha);
      expect(Math.abs(ours.pBackport - answer.p_backport)).toBeLessThan(1e-12);
      expect(Math.abs(ours.pWait - answer.p_wait)).toBeLessThan(1e-12);
    }
  });

  it("learns the project's pattern: its crash fixes yes, its widgets no", () => {
    const fix = applyVerdictModel(model, extractCommitFeatures(records[61] as CommitRecord));
    const widget = applyVerdictModel(model, extractCommitFeatures(records[60] as CommitRecord));
    expect(fix.verdict).not.toBe("no");
    expect(widget.verdict).toBe("no");
    expect(fix.topFeatures.map((feature) => feature.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(s:crash|s:parser|dir1:core|tag:core|s:fix)$/),
      ]),
    );
  });
});
