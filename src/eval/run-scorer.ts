import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { runCaptured } from "../shared/run-captured.js";

const interval = z.tuple([z.number(), z.number()]).nullable().optional();

/** The summary `python -m trainer score` prints as its last line (trainer/metrics/score_pairs.py). */
export const scoreSummarySchema = z.object({
  n: z.number().int(),
  n_bleu: z.number().int(),
  bleu: z.number().nullable(),
  n_text: z.number().int(),
  chrf: z.number().nullable(),
  rouge_l: z.number().nullable(),
  embed_sim: z.number().nullable(),
  embed_sim_floor: z.number().nullable(),
  /** Bootstrap 95% intervals over the same pairs, `[low, high]`; null below two pairs. */
  embed_sim_ci: interval,
  embed_sim_floor_ci: interval,
  chrf_ci: interval,
  bleu_ci: interval,
  /** chrF and BLEU with each prediction against another pair's gold (the shuffled floor). */
  chrf_floor: z.number().nullable().optional(),
  bleu_floor: z.number().nullable().optional(),
  n_labelled: z.number().int().optional(),
  comment_precision: z.number().nullable().optional(),
  comment_recall: z.number().nullable().optional(),
  comment_f1: z.number().nullable().optional(),
  n_line: z.number().int().optional(),
  line_within_3: z.number().nullable().optional(),
});
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;

/** Scores one pairs file; the training worker may inject its own. */
export type ScorerRunner = (params: {
  pairsPath: string;
  /** Score only the lines of this `system` (the scorer still checks every line). */
  system?: string | undefined;
}) => Promise<ScoreSummary>;

/**
 * The repository root, where `python3 -m trainer` finds the `trainer` package: two folders up
 * from src/eval under tsx, three from the compiled dist/src/eval (the images' /app).
 */
const moduleRoot = fileURLToPath(new URL("../../", import.meta.url));
const repositoryRoot = basename(moduleRoot) === "dist" ? dirname(moduleRoot) : moduleRoot;
const STDERR_TAIL_CHARS = 2_000;

/**
 * A {@link ScorerRunner} that starts the scorer as a child process: `command` split on spaces
 * (SCORER_COMMAND, default `python3 -m trainer score`) plus `--pairs <file>`, run in the
 * repository root, and reads the JSON object on its last stdout line. Never blocks the event loop.
 *
 * @throws Error with the scorer's stderr when it cannot start, exits non-zero or prints no summary.
 */
export function createScorerRunner(params: { command: string; cwd?: string }): ScorerRunner {
  const [program, ...args] = params.command.trim().split(/\s+/);
  if (!program)
    throw new Error("SCORER_COMMAND is empty; leave it unset for python3 -m trainer score");
  return async ({ pairsPath, system }) => {
    const systemArgs = system === undefined ? [] : ["--system", system];
    const { code, signal, stdout, stderrTail } = await runCaptured({
      program,
      // The pairs file last: wrappers of the scorer may read it from there.
      args: [...args, ...systemArgs, "--pairs", pairsPath],
      cwd: params.cwd ?? repositoryRoot,
      stderrTailChars: STDERR_TAIL_CHARS,
      cannotStart: (error) =>
        new Error(
          `cannot start the scorer "${params.command}": ${error.message}. Set SCORER_COMMAND to a command that runs python -m trainer score (install trainer/requirements.txt)`,
          { cause: error },
        ),
    });
    if (code !== 0) {
      throw new Error(
        `the scorer "${params.command}" failed (${signal ?? `exit code ${code}`}) on ${pairsPath}: ${stderrTail.trim() || "no error output"}`,
      );
    }
    return parseScorerOutput(stdout);
  };
}

/**
 * Reads the summary from the scorer's stdout: the JSON object on the last non-empty line.
 *
 * @throws Error when that line is missing, not JSON or not a score summary.
 */
export function parseScorerOutput(stdout: string): ScoreSummary {
  const lastLine = stdout.trimEnd().split("\n").at(-1) ?? "";
  try {
    return scoreSummarySchema.parse(JSON.parse(lastLine));
  } catch (error) {
    throw new Error(
      `the scorer's last output line is not its JSON summary ("${lastLine.slice(0, 80)}"): is SCORER_COMMAND running python -m trainer score?`,
      { cause: error },
    );
  }
}
