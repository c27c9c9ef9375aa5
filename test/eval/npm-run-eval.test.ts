import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRIC_ROWS } from "../../src/eval/evaluation-scores.js";
import { ANSWER_REGEX, COMMENT_ONLY_REGEX } from "../../src/prompts/review-answer.js";
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import {
  hunksOfFixture,
  makeDatasetJsonl,
  REPO_FULL_NAME,
  SUBJECT,
} from "./support/make-dataset.js";
import {
  ADAPTER_NAME,
  BASE_MODEL,
  goldAnswers,
  standInModels,
  zeroShotSpeaks,
} from "./support/stand-in-models.js";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const DATE = "2026-05-01";

/** Runs `npm run eval -- …` as a user would, with `env` on top of a clean environment. */
function runNpmEval(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("npm", ["run", "--silent", "eval", "--", ...args], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        LOG_LEVEL: "warn",
        // The developer's own .env must not change what the test sees.
        DOTENV_CONFIG_PATH: "/dev/null",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Counts `<rect class="bar">` per system and metric with Python's XML parser (fails on bad XML). */
async function barsPerSystemAndMetric(svgPath: string): Promise<Record<string, number>> {
  const script = [
    "import collections, json, sys, xml.etree.ElementTree as ET",
    "root = ET.parse(sys.argv[1]).getroot()",
    "bars = [r for r in root.iter('{http://www.w3.org/2000/svg}rect') if r.get('class') == 'bar']",
    "print(json.dumps(collections.Counter(r.get('data-system') + '/' + r.get('data-metric') for r in bars)))",
  ].join("\n");
  const { stdout } = await promisify(execFile)("python3", ["-c", script, svgPath]);
  return JSON.parse(stdout) as Record<string, number>;
}

describe("npm run eval", () => {
  let llm: FakeOpenAiServer;
  let dir: string;
  let holdoutJsonl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "eval-e2e-"));
    const mixed = await hunksOfFixture("mixed-changes");
    const many = await hunksOfFixture("two-hundred-hunks");
    holdoutJsonl = await makeDatasetJsonl({
      hunks: [...mixed, ...many.slice(0, 5)],
      firstPullNumber: 100,
    });
    const trainJsonl = await makeDatasetJsonl({ hunks: many.slice(50, 62), firstPullNumber: 1 });
    await writeFile(join(dir, "holdout.jsonl"), holdoutJsonl);
    await writeFile(join(dir, "train.jsonl"), trainJsonl);
    await mkdir(join(dir, "scorer"));
    llm = await startFakeOpenAiServer(standInModels(goldAnswers(holdoutJsonl)));
  });

  afterAll(async () => {
    await llm?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a report with the adapter, few-shot and zero-shot columns scored by the real scorer", async () => {
    const out = join(dir, "eval");
    const run = await runNpmEval(
      [
        ...["--repo", REPO_FULL_NAME, "--reviewer", SUBJECT.reviewerLogin, "--model", ADAPTER_NAME],
        ...["--holdout", join(dir, "holdout.jsonl"), "--train", join(dir, "train.jsonl")],
        ...["--comment-rate", "0.5", "--out", out, "--date", DATE],
      ],
      {
        LLM_BASE_URL: llm.baseUrl,
        BASE_MODEL_NAME: BASE_MODEL,
        LLM_MAX_RETRIES: "0",
        // The greedy answers alone: the consensus (LLM_COMMENT_SAMPLES > 1) is checked in
        // test/train/evaluate-new-adapter.test.ts and test/review/consensus-comment.test.ts.
        LLM_COMMENT_SAMPLES: "1",
        SCORER_COMMAND: `bash ${join(repositoryRoot, "test/eval/support/keep-scorer-output.sh")}`,
        SCORER_COPY_DIR: join(dir, "scorer"),
      },
    );
    expect(run.stderr, run.stdout).not.toContain("eval failed");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /holdout: comment-where F1 \d\.\d\d, similarity \d\.\d\d vs \d\.\d\d few-shot/,
    );

    const holdoutSize = holdoutJsonl.split("\n").filter(Boolean).length;
    expect(holdoutSize).toBe(18);
    // Every system read every holdout hunk once, with the review's prompts.
    const byModel = (model: string, withExamples: boolean) =>
      llm.requests.filter(
        (request) => request.model === model && request.messages.length > 2 === withExamples,
      );
    // Then each was asked for a comment ("what"), decoding held to a comment, on the hunks the
    // reviewer commented on where its where answer was NO_COMMENT: elsewhere that answer's
    // comment is its comment. The adapter (the reviewer's words) and few-shot (a comment
    // everywhere) commented on all of them; zero-shot let some pass.
    const commentedTurns = [...goldAnswers(holdoutJsonl)]
      .filter(([, answer]) => answer !== "NO_COMMENT")
      .map(([turn]) => turn);
    const commented = commentedTurns.length;
    expect(commented).toBeGreaterThan(2);
    const zeroShotQuiet = commentedTurns.filter((turn) => !zeroShotSpeaks(turn)).length;
    expect(zeroShotQuiet).toBeGreaterThan(0);
    expect(zeroShotQuiet).toBeLessThan(commented);
    const asked = (regex: string) =>
      llm.requests.filter((request) => request.structured_outputs?.regex === regex);
    expect(asked(ANSWER_REGEX)).toHaveLength(3 * holdoutSize);
    expect(asked(COMMENT_ONLY_REGEX)).toHaveLength(zeroShotQuiet);
    expect(byModel(ADAPTER_NAME, false)).toHaveLength(holdoutSize);
    expect(byModel(BASE_MODEL, true)).toHaveLength(holdoutSize);
    expect(byModel(BASE_MODEL, false)).toHaveLength(holdoutSize + zeroShotQuiet);
    expect(llm.requests).toHaveLength(3 * holdoutSize + zeroShotQuiet);

    const base = `${SUBJECT.reviewerLogin}-${DATE}`;
    expect((await readdir(out)).sort()).toEqual([`${base}.json`, `${base}.md`, `${base}.svg`]);

    // The .json carries exactly what the scorer printed as its last line, per system.
    const report = JSON.parse(await readFile(join(out, `${base}.json`), "utf8"));
    expect(report).toMatchObject({
      name: "alice",
      reviewerLogin: "alice",
      repoFullName: "acme/shop",
      date: DATE,
      holdoutSize,
      baseModel: BASE_MODEL,
    });
    expect(report.systems.map((system: { id: string }) => system.id)).toEqual([
      "adapter",
      "few-shot",
      "zero-shot",
    ]);
    for (const system of report.systems) {
      expect(system.ran).toBe(true);
      const printed = (await readFile(join(dir, "scorer", `${system.id}.out`), "utf8"))
        .trimEnd()
        .split("\n")
        .at(-1);
      expect(system.scores).toEqual(JSON.parse(printed ?? "null"));
      expect(system.scores.n).toBe(holdoutSize);
    }
    const [adapter, fewShot, zeroShot] = report.systems;
    expect(adapter.model).toBe(ADAPTER_NAME);
    expect(fewShot.model).toBe(BASE_MODEL);
    // The adapter repeats the reviewer: every comment in the right place, the same words.
    expect(adapter.scores.comment_f1).toBe(100);
    expect(adapter.scores.line_within_3).toBe(100);
    expect(adapter.scores.embed_sim).toBeGreaterThan(0.99);
    expect(fewShot.scores.comment_f1).toBeLessThan(100);
    expect(zeroShot.scores.comment_f1).not.toBe(fewShot.scores.comment_f1);
    expect(fewShot.scores.embed_sim).toBeLessThan(adapter.scores.embed_sim);

    // "What" on every commented hunk, with intervals; the text baselines need the precedent
    // index, which files do not carry.
    expect(report.text.pairs).toBe(commented);
    expect(report.text.systems.map((system: { id: string }) => system.id)).toEqual([
      "adapter",
      "few-shot",
      "zero-shot",
      "retrieval-only",
      "most-frequent",
    ]);
    const [adapterText, fewShotText, zeroShotText] = report.text.systems;
    expect(adapterText.scores.n_text).toBe(commented);
    expect(adapterText.fromWhereAnswers).toBe(commented);
    expect(fewShotText.fromWhereAnswers).toBe(commented);
    expect(zeroShotText.fromWhereAnswers).toBe(commented - zeroShotQuiet);
    expect(adapterText.scores.embed_sim).toBeGreaterThan(0.99);
    const [low, high] = adapterText.scores.embed_sim_ci;
    expect(low).toBeLessThanOrEqual(adapterText.scores.embed_sim);
    expect(high).toBeGreaterThanOrEqual(adapterText.scores.embed_sim);
    expect(adapterText.scores.embed_sim_floor).toBeLessThan(adapterText.scores.embed_sim);
    expect(report.text.systems[3]).toMatchObject({
      ran: false,
      reason: expect.stringMatching(/no precedent index/),
    });

    // The .md: one column per system, one row per metric, the floor, and the chart.
    const markdown = await readFile(join(out, `${base}.md`), "utf8");
    const header = markdown.split("\n").find((line) => line.startsWith("| metric"));
    expect(header).toContain(`adapter<br>\`${ADAPTER_NAME}\``);
    // 6 comments and 4 of the 6 silent hunks of train.jsonl (the review's pick of 8 + 8/2).
    expect(header).toContain(`few-shot (10 examples)<br>\`${BASE_MODEL}\``);
    expect(header).toContain(`zero-shot<br>\`${BASE_MODEL}\``);
    for (const metric of METRIC_ROWS) {
      const row = markdown.split("\n").find((line) => line.startsWith(`| ${metric.title}`));
      expect(row, metric.title).toBeDefined();
      expect(row?.split("|").filter((cell) => cell.trim()).length).toBe(4);
    }
    expect(markdown).toContain("| comment-where F1 (%) | 100.0 |");
    expect(markdown).toContain("shuffled-gold floor");
    expect(markdown).toContain(
      `| comments from its where answers (not asked again) | ${commented} | ${commented} | ${commented - zeroShotQuiet} | — | — |`,
    );
    expect(markdown).toContain(
      "| comment budget | ⌈0.5 × 18 hunks⌉ = 9 comments | ⌈0.5 × 18 hunks⌉ = 9 comments | ⌈0.5 × 18 hunks⌉ = 9 comments |",
    );
    expect(markdown).toContain(`![Scores per system](${base}.svg)`);

    // The chart: valid XML, one bar per system per metric.
    const bars = await barsPerSystemAndMetric(join(out, `${base}.svg`));
    const expected = Object.fromEntries(
      ["adapter", "few-shot", "zero-shot"].flatMap((system) =>
        METRIC_ROWS.map((metric) => [`${system}/${metric.key}`, 1]),
      ),
    );
    expect(bars).toEqual(expected);
    // Six real scorer runs (each loads the embedding model): minutes on a loaded 2-core box.
  }, 900_000);
});

describe("npm run eval -- --predictions", () => {
  it("scores a file of several systems' predictions with no LLM endpoint, stating each budget", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eval-predictions-"));
    try {
      const gold = [
        "Use `size_t` here",
        "",
        "This can overflow on 32-bit.",
        "",
        "Missing a test for the error path.",
      ];
      const lines = gold.flatMap((text, index) => {
        const commented = text !== "";
        const pair = (system: string, pred: string, budget?: number) =>
          JSON.stringify({
            system,
            pred,
            gold: text,
            gold_commented: commented,
            pred_commented: pred !== "",
            gold_line: commented ? index + 1 : null,
            pred_line: pred !== "" ? index + 1 : null,
            ...(budget === undefined ? {} : { budget }),
          });
        return [pair("echo", text, 3), pair("chatty", `nit: line ${index}`)];
      });
      const path = join(dir, "outside-data.jsonl");
      await writeFile(path, `${lines.join("\n")}\n`);
      const out = join(dir, "eval");
      const run = await runNpmEval(["--predictions", path, "--out", out, "--date", DATE], {
        SCORER_COMMAND: "python3 -m trainer score",
      });
      expect(run.stderr, run.stdout).not.toContain("eval failed");
      expect(run.code).toBe(0);

      const base = `outside-data-${DATE}`;
      const report = JSON.parse(await readFile(join(out, `${base}.json`), "utf8"));
      expect(report).toMatchObject({
        name: "outside-data",
        reviewerLogin: null,
        holdoutSize: 5,
        holdoutComments: 3,
        baseModel: null,
      });
      const [echo, chatty] = report.systems;
      expect(echo).toMatchObject({ id: "echo", commentsPredicted: 3 });
      expect(echo.scores.comment_f1).toBe(100);
      expect(chatty.scores.comment_f1).toBe(75);
      expect(echo.budget).toBe("3 comments (stated in the file)");
      expect(chatty.budget).toBe("not stated in the file");

      const markdown = await readFile(join(out, `${base}.md`), "utf8");
      // Named for the data set, not for a reviewer's newest pull requests.
      expect(markdown).toContain("# Evaluation: outside-data, 2026-05-01");
      expect(markdown).toContain("5 hunks: the pairs in outside-data.jsonl (3 commented)");
      expect(markdown).not.toContain("newest pull requests");
      expect(markdown).toContain(
        "| comment budget | 3 comments (stated in the file) | not stated in the file |",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it("names the line of an inconsistent label and writes no report", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eval-predictions-"));
    try {
      const path = join(dir, "bad.jsonl");
      const good = { pred: "a", gold: "b", gold_commented: true, pred_commented: true };
      await writeFile(path, `${JSON.stringify(good)}\n${JSON.stringify({ ...good, gold: "" })}\n`);
      const out = join(dir, "eval");
      const run = await runNpmEval(["--predictions", path, "--out", out], {
        SCORER_COMMAND: "python3 -m trainer score",
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`line 2 of ${path}`);
      expect(run.stderr).toContain('"gold_commented" is true but "gold" is empty');
      await expect(readdir(out)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
