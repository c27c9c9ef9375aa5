import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import { afterEach, describe, expect, it } from "vitest";

/** The rules `npm run check` applies (.dependency-cruiser.cjs), as they are. */
const config = createRequire(import.meta.url)("../../.dependency-cruiser.cjs") as IConfiguration;
const ruleNames = (config.forbidden ?? []).map((rule) => rule.name);

let trees: string[] = [];
afterEach(async () => {
  await Promise.all(trees.map((tree) => rm(tree, { recursive: true, force: true })));
  trees = [];
});

/** Writes a small tree of TypeScript files and cruises it with the project's rules. */
async function cruiseTree(files: Record<string, string>): Promise<ICruiseResult> {
  const tree = await mkdtemp(join(tmpdir(), "architecture-"));
  trees.push(tree);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
  const { tsConfig: _projectTsConfig, ...options } = config.options ?? {};
  const roots = [...new Set(Object.keys(files).map((path) => path.split("/")[0] as string))];
  const result = await cruise(roots, {
    ...options,
    baseDir: tree,
    ruleSet: { forbidden: config.forbidden ?? [] },
    validate: true,
  });
  return result.output as ICruiseResult;
}

const violated = (result: ICruiseResult) =>
  [...new Set(result.summary.violations.map((violation) => violation.rule.name))].sort();

describe("the architecture rules in npm run check", () => {
  it("pass a tree whose arrows point down", async () => {
    const files = {
      "src/start/server.ts":
        'import "./load-config";\nimport "../run/run-stage";\nimport "probot";\n',
      "src/start/load-config.ts": 'import "../review/review-config";\n',
      "src/review/review-config.ts": "export const x = 1;\n",
      "src/run/run-stage.ts": 'import "../train/train";\n',
      "src/train/train.ts": 'import "../store/keys";\n',
      "src/store/keys.ts": "export const y = 1;\n",
      "bench/bench.ts": 'import "../support/kit";\n',
      "support/kit.ts": "export const z = 1;\n",
      "test/kit.test.ts": 'import "../support/kit";\nimport "../src/start/load-config";\n',
    };
    const result = await cruiseTree(files);
    // Every file was read (probot, not installed in the tree, is one more module).
    expect(result.modules.map((module) => module.source)).toEqual(
      expect.arrayContaining(Object.keys(files)),
    );
    expect(violated(result)).toEqual([]);
  });

  it.each([
    [
      "no-cycles-between-rooms",
      {
        "src/run/a.ts": 'import "../train/b";\n',
        "src/train/b.ts": 'import "../history/c";\n',
        "src/history/c.ts": 'import "../run/d";\n',
        "src/run/d.ts": "export const d = 1;\n",
      },
    ],
    [
      "no-module-cycles",
      {
        "src/review/a.ts": 'import "./b";\nexport const a = 1;\n',
        "src/review/b.ts": 'import "./a";\nexport const b = 1;\n',
      },
    ],
    [
      "train-does-not-import-run",
      {
        "src/train/finish-training.ts": 'import "../run/park-run";\n',
        "src/run/park-run.ts": "export const p = 1;\n",
      },
    ],
    [
      "only-start-imports-the-config-assembler",
      {
        "src/review/review.ts": 'import "../start/load-config";\n',
        "src/start/load-config.ts": "export const c = 1;\n",
      },
    ],
    [
      "rooms-do-not-import-entry-points",
      {
        "src/review/review.ts": 'import "../start/open-queues";\n',
        "src/start/open-queues.ts": "export const q = 1;\n",
      },
    ],
    [
      "bench-does-not-import-test",
      {
        "bench/mention.ts": 'import "../test/support/app-harness";\n',
        "test/support/app-harness.ts": "export const h = 1;\n",
      },
    ],
    [
      "domain-rooms-do-not-import-probot",
      { "src/review/post-review.ts": 'import { Probot } from "probot";\nexport { Probot };\n' },
    ],
  ])("%s catches a deliberate violation", async (rule, files) => {
    expect(ruleNames).toContain(rule);
    const result = await cruiseTree(files);
    expect(violated(result)).toContain(rule);
  });

  it("has a violation test for every rule", () => {
    expect(ruleNames.sort()).toEqual([
      "bench-does-not-import-test",
      "domain-rooms-do-not-import-probot",
      "no-cycles-between-rooms",
      "no-module-cycles",
      "only-start-imports-the-config-assembler",
      "rooms-do-not-import-entry-points",
      "train-does-not-import-run",
    ]);
  });
});
