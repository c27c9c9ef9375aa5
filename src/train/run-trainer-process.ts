import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import type { SystemTurn } from "../prompts/keep-system-turn.js";
import { parseTrainerLine } from "./trainer-events.js";
import { TrainerFailedError, type TrainerFailureKind } from "./trainer-failed-error.js";

/** One `progress` line of the trainer, in the worker's names. */
export interface TrainerProgress {
  step: number;
  totalSteps: number;
  loss: number | null;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  /** Passes over the dataset so far, and in the whole run (trainers that report them). */
  epochs?: { reached: number; planned?: number };
  /** The run's CPU budget, when its profile has one: at most this many tokens, about these minutes. */
  budget?: { tokens: number; minutes: number };
}

/** The trainer's `done` line. */
export interface TrainerResult {
  adapterDir: string;
  steps: number | null;
  examples: number | null;
  trainSeconds: number | null;
  /** Passes over the dataset the run made (trainers that report it). */
  epochs?: number;
  /** Tokens of one epoch, as a CPU budget counted them (trainers that report it). */
  datasetTokens?: number;
  /** How the system turn was rendered in training; inference must send the same. */
  systemTurn?: SystemTurn;
  /** The trainer process's peak resident memory, MB (trainers that report it). */
  peakRssMb?: number;
}

const STDERR_TAIL_CHARS = 4_000;
const LOGGED_LINE_CHARS = 200;

/**
 * Runs the trainer CLI as a child process and reads its JSON-lines stdout. The child runs
 * beside the event loop (nothing here blocks), so BullMQ keeps renewing the job's lock.
 *
 * - Lines that are not trainer events are logged and ignored; a run that exits 0 without a
 *   `done` line is a failure (`no-result`).
 * - `signal` aborting sends SIGTERM (the trainer cleans up and exits 130), then SIGKILL after
 *   `killAfterMs` if it is still running.
 * - stderr is kept (its tail) for the error and the logs.
 *
 * @throws TrainerFailedError with the kind derived from the exit code (trainer/README.md).
 */
export function runTrainerProcess(params: {
  /** Program and its fixed arguments, e.g. `["python3", "-m", "trainer", "train"]`. */
  command: string[];
  args: string[];
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  killAfterMs?: number;
  onProgress?: (progress: TrainerProgress) => Promise<void> | void;
  log: Logger;
}): Promise<TrainerResult> {
  const [program, ...fixedArgs] = params.command;
  if (!program) throw new Error("TRAINER_COMMAND is empty: set it, e.g. python3 -m trainer train");
  const log = params.log;
  return new Promise<TrainerResult>((resolve, reject) => {
    const child = spawn(program, [...fixedArgs, ...params.args], {
      cwd: params.cwd,
      // Unset: the child inherits this process's environment (spawn's default).
      ...(params.env ? { env: params.env } : {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderrTail = "";
    let result: TrainerResult | undefined;
    let trainerError: string | undefined;
    // Progress callbacks run one after another, in line order, without holding up reading.
    let progressChain: Promise<void> = Promise.resolve();
    let killTimer: NodeJS.Timeout | undefined;

    const onAbort = () => {
      log.info({ pid: child.pid }, "stopping the trainer (SIGTERM)");
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), params.killAfterMs ?? 30_000);
      killTimer.unref();
    };
    if (params.signal?.aborted) onAbort();
    else params.signal?.addEventListener("abort", onAbort, { once: true });

    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on("line", (line) => {
      if (line.trim() === "") return;
      const event = parseTrainerLine(line);
      if (!event) {
        log.warn({ line: line.slice(0, LOGGED_LINE_CHARS) }, "ignored a trainer stdout line");
        return;
      }
      if (event.event === "progress") {
        const progress: TrainerProgress = {
          step: event.step,
          totalSteps: event.total_steps,
          loss: event.loss ?? null,
          tokensPerSecond: event.tokens_per_second ?? null,
          etaSeconds: event.eta_seconds ?? null,
          ...(event.epochs === undefined
            ? {}
            : {
                epochs: {
                  reached: event.epochs,
                  ...(event.planned_epochs === undefined ? {} : { planned: event.planned_epochs }),
                },
              }),
          ...(event.budget_tokens === undefined
            ? {}
            : { budget: { tokens: event.budget_tokens, minutes: event.budget_minutes ?? 0 } }),
        };
        progressChain = progressChain
          .then(() => params.onProgress?.(progress))
          .catch((error: unknown) =>
            log.warn({ err: error }, "could not report training progress"),
          );
      } else if (event.event === "done") {
        result = {
          adapterDir: event.adapter_dir,
          steps: event.steps ?? null,
          examples: event.examples ?? null,
          trainSeconds: event.train_seconds ?? null,
          ...(event.epochs === undefined ? {} : { epochs: event.epochs }),
          ...(event.dataset_tokens === undefined ? {} : { datasetTokens: event.dataset_tokens }),
          ...(event.system_turn ? { systemTurn: event.system_turn } : {}),
          ...(event.peak_rss_mb === undefined ? {} : { peakRssMb: event.peak_rss_mb }),
        };
      } else {
        trainerError = event.message;
      }
    });

    let settled = false;
    const fail = (kind: TrainerFailureKind, message: string, extra: { cause?: unknown } = {}) => {
      if (settled) return;
      settled = true;
      reject(
        new TrainerFailedError({
          kind,
          message,
          exitCode: child.exitCode,
          signal: child.signalCode,
          stderrTail,
          ...extra,
        }),
      );
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      fail(
        "not-started",
        `could not start the trainer \`${params.command.join(" ")}\` (${error.code ?? error.message}); install it on this host or fix TRAINER_COMMAND`,
        { cause: error },
      );
    });
    const stdoutClosed = new Promise<void>((done) => lines.once("close", done));
    child.on("close", async (exitCode, signal) => {
      params.signal?.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      await stdoutClosed;
      await progressChain;
      if (settled) return;
      const said = trainerError ? `: ${trainerError}` : "";
      if (exitCode === 0 && result) {
        settled = true;
        resolve(result);
      } else if (exitCode === 0) {
        fail(
          "no-result",
          "the trainer exited without reporting a finished adapter (no `done` line)",
        );
      } else if (exitCode === 2) {
        fail("bad-input", `the trainer refused its input${said}`);
      } else if (exitCode === 3) {
        fail(
          "out-of-memory",
          `the GPU ran out of memory${said || ""}; set a smaller batch in TRAINER_EXTRA_ARGS, e.g. --batch-size 4 --set gradient_accumulation_steps=4`,
        );
      } else if (exitCode === 130 || signal === "SIGTERM") {
        fail("interrupted", "the trainer was stopped before it finished (SIGTERM)");
      } else if (signal) {
        fail(
          "killed",
          `the trainer was killed by ${signal} before it finished (the host may have run out of memory)`,
        );
      } else {
        fail("crashed", `the trainer failed with exit code ${exitCode}${said}`);
      }
    });
  });
}
