import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { toWhereJsonl, type WhereRow } from "./build-where-rows.js";
import { type WhereModel, whereModelSchema } from "./where-model.js";

/** The where fit's command line: the trainer's CLI, which needs python3 with scikit-learn. */
export const DEFAULT_WHERE_FIT_COMMAND = ["python3", "-m", "trainer", "where", "fit"];

const fitEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("done"), seconds: z.number() }),
  z.object({ event: z.literal("error"), message: z.string() }),
]);

function run(
  command: readonly string[],
  args: string[],
  cwd: string | undefined,
): Promise<{ stdout: string; stderr: string; code: number }> {
  const [program, ...fixed] = command;
  if (!program)
    throw new Error("the where fit command is empty: e.g. python3 -m trainer where fit");
  return new Promise((resolve, reject) => {
    execFile(
      program,
      [...fixed, ...args],
      { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(
            new Error(
              `could not run "${command.join(" ")}" (${error.message}): the where-model needs python3 with scikit-learn (pip install -r trainer/requirements.txt)`,
              { cause: error },
            ),
          );
          return;
        }
        resolve({ stdout, stderr, code: typeof error?.code === "number" ? error.code : 0 });
      },
    );
  });
}

/**
 * Fits a where-model on `rows` — the training part only; nothing else is passed to the fit —
 * by running `python -m trainer where fit` as a child process (beside the event loop), and
 * returns the validated model. `predictRows` also asks for scikit-learn's own probabilities of
 * those rows (the parity check of applyWhereModel).
 *
 * @throws Error with the fit's message when the rows are refused or Python is missing.
 */
export async function fitWhereModel(params: {
  rows: readonly WhereRow[];
  mode: "balanced" | "quiet";
  command?: readonly string[];
  cwd?: string;
  predictRows?: readonly WhereRow[];
}): Promise<{ model: WhereModel; seconds: number; predictions?: number[] }> {
  const workDir = await mkdtemp(join(tmpdir(), "tlb-where-fit-"));
  try {
    const featuresPath = join(workDir, "train.jsonl");
    const modelPath = join(workDir, "model.json");
    await writeFile(featuresPath, toWhereJsonl(params.rows), { mode: 0o600 });
    const args = ["--features", featuresPath, "--out", modelPath, "--mode", params.mode];
    if (params.predictRows) {
      await writeFile(join(workDir, "predict.jsonl"), toWhereJsonl(params.predictRows));
      args.push("--predict", join(workDir, "predict.jsonl"));
      args.push("--predictions", join(workDir, "predictions.json"));
    }
    const result = await run(params.command ?? DEFAULT_WHERE_FIT_COMMAND, args, params.cwd);
    const lastLine = result.stdout.trim().split("\n").at(-1) ?? "";
    let event: z.infer<typeof fitEventSchema> | undefined;
    try {
      event = fitEventSchema.parse(JSON.parse(lastLine));
    } catch {
      event = undefined;
    }
    if (!event || event.event === "error" || result.code !== 0) {
      const why = event?.event === "error" ? event.message : result.stderr.trim().slice(-2000);
      throw new Error(`the where fit failed (exit ${result.code}): ${why}`);
    }
    const model = whereModelSchema.parse(JSON.parse(await readFile(modelPath, "utf8")));
    const predictions = params.predictRows
      ? z
          .array(z.number())
          .parse(JSON.parse(await readFile(join(workDir, "predictions.json"), "utf8")))
      : undefined;
    return { model, seconds: event.seconds, ...(predictions ? { predictions } : {}) };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
