/** Why a trainer run failed, from its exit code (trainer/README.md) or how it ended. */
export type TrainerFailureKind =
  /** Exit 2: the dataset, base model dir or output dir is wrong; retrying cannot help. */
  | "bad-input"
  /** Exit 3: out of GPU memory with these settings; retrying with the same ones cannot help. */
  | "out-of-memory"
  /** Exit 130 or SIGTERM: stopped (worker shutdown); another attempt can finish it. */
  | "interrupted"
  /** Killed by a signal other than SIGTERM (e.g. the kernel's OOM killer sends SIGKILL). */
  | "killed"
  /** Exit 0 without a `done` line, or a `done` line but no adapter: a broken trainer. */
  | "no-result"
  /** The command could not be started at all (not installed, wrong TRAINER_COMMAND). */
  | "not-started"
  /** Any other exit code. */
  | "crashed";

/** A failed trainer run, with what a person needs to act on it. */
export class TrainerFailedError extends Error {
  override name = "TrainerFailedError";
  readonly kind: TrainerFailureKind;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last stderr lines, for the logs (never shown on GitHub: they may hold paths). */
  readonly stderrTail: string;

  constructor(params: {
    kind: TrainerFailureKind;
    message: string;
    exitCode: number | null;
    signal: NodeJS.Signals | null;
    stderrTail: string;
    cause?: unknown;
  }) {
    super(params.message, params.cause === undefined ? undefined : { cause: params.cause });
    this.kind = params.kind;
    this.exitCode = params.exitCode;
    this.signal = params.signal;
    this.stderrTail = params.stderrTail;
  }

  /** Failures a new attempt with the same input cannot fix. */
  get permanent(): boolean {
    return this.kind === "bad-input" || this.kind === "out-of-memory";
  }
}
