import { spawn } from "node:child_process";

/** How a child process ended: all it wrote to stdout and the tail of its stderr. */
export interface CapturedRun {
  /** The exit code; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderrTail: string;
}

/**
 * Runs a program with no stdin and waits for it to end, keeping its whole stdout (UTF-8) and
 * the last `stderrTailChars` characters of its stderr. Never blocks the event loop.
 *
 * @param cannotStart the error to reject with when the program cannot be started (e.g. ENOENT).
 * @returns the run whatever its exit code: the caller decides what a failure says.
 */
export function runCaptured(params: {
  program: string;
  args: readonly string[];
  cwd?: string | undefined;
  /** Unset: the child inherits this process's environment. */
  env?: NodeJS.ProcessEnv;
  stderrTailChars: number;
  cannotStart: (error: Error) => Error;
}): Promise<CapturedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(params.program, [...params.args], {
      ...(params.cwd === undefined ? {} : { cwd: params.cwd }),
      ...(params.env === undefined ? {} : { env: params.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-params.stderrTailChars);
    });
    child.on("error", (error) => reject(params.cannotStart(error)));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderrTail }));
  });
}
