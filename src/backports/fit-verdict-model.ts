import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCaptured } from "../shared/run-captured.js";
import { FEATURE_VERSION } from "./extract-commit-features.js";
import { FEATURE_DIMENSION } from "./hash-features.js";
import { toJsonLines } from "./json-lines.js";
import { parseVerdictModel, type VerdictModel } from "./verdict-model.js";

/** One labelled training row in the trainer's format (trainer/backports/rows.py). */
export interface FeatureRow {
  id: string;
  /** When the commit landed, ms since the epoch: the learner keeps time order with it. */
  t: number;
  x: Record<string, number>;
  y?: 0 | 1;
  wait?: 0 | 1 | null;
}

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const STDERR_TAIL_CHARS = 2_000;

/** The learner's command for a Python (BACKPORTS_PYTHON, default python3). */
export function learnerCommand(python = "python3"): string[] {
  return [python, "-m", "trainer", "backports"];
}

function runLearner(params: { command: string[]; args: string[] }): Promise<string> {
  const [program, ...fixed] = params.command;
  if (!program) throw new Error("BACKPORTS_PYTHON is empty: unset it for python3");
  return runCaptured({
    program,
    args: [...fixed, ...params.args],
    cwd: repositoryRoot,
    stderrTailChars: STDERR_TAIL_CHARS,
    cannotStart: (error) =>
      new Error(
        `cannot start the backport learner "${params.command.join(" ")}": ${error.message}. Install python3 with scikit-learn (trainer/requirements.txt) or set BACKPORTS_PYTHON`,
        { cause: error },
      ),
  }).then(({ code, stdout, stderrTail }) => {
    if (code === 0) return stdout;
    throw new Error(
      `the backport learner "${params.command.join(" ")} ${params.args[0]}" failed (exit ${code}): ${stderrTail.trim() || "no error output"}`,
    );
  });
}

/** Writes rows to a temporary folder, runs `fn` with the file's path, removes the folder. */
async function withRowsFile<T>(
  rows: FeatureRow[],
  fn: (path: string, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "backports-rows-"));
  try {
    const path = join(dir, "rows.jsonl");
    await writeFile(path, toJsonLines(rows));
    return await fn(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Fits the verdict model on labelled rows with `python -m trainer backports fit` and returns it.
 *
 * @throws Error with the learner's message, e.g. when there is not enough history.
 */
export function fitVerdictModel(params: {
  rows: FeatureRow[];
  command?: string[];
}): Promise<VerdictModel> {
  return withRowsFile(params.rows, async (rowsPath, dir) => {
    const modelPath = join(dir, "model.json");
    await runLearner({
      command: params.command ?? learnerCommand(),
      args: [
        "fit",
        "--rows",
        rowsPath,
        "--out",
        modelPath,
        "--feature-version",
        FEATURE_VERSION,
        "--dimension",
        String(FEATURE_DIMENSION),
      ],
    });
    return parseVerdictModel(JSON.parse(await readFile(modelPath, "utf8")), "the fitted model");
  });
}

/** The learner's own probabilities for rows (`predict`), for the parity test. */
export function predictWithLearner(params: {
  modelPath: string;
  rows: FeatureRow[];
  command?: string[];
}): Promise<{ id: string; p_backport: number; p_wait: number }[]> {
  return withRowsFile(params.rows, async (rowsPath) => {
    const stdout = await runLearner({
      command: params.command ?? learnerCommand(),
      args: ["predict", "--model", params.modelPath, "--rows", rowsPath],
    });
    return stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as { id: string; p_backport: number; p_wait: number });
  });
}
