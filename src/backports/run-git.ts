import { spawn } from "node:child_process";
import { runCaptured } from "../shared/run-captured.js";

/** git failed: the message names the command, the repository and git's own words. */
export class GitCommandError extends Error {
  override name = "GitCommandError";
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

const STDERR_TAIL_CHARS = 2_000;

/** The commits `fromSha..toSha` (from exclusive, to inclusive) of the repository at `repoDir`. */
export interface GitRange {
  repoDir: string;
  fromSha: string;
  toSha: string;
}

/** `range` as git's revision syntax writes it: `fromSha..toSha`. */
export function revisionRange(range: GitRange): string {
  return `${range.fromSha}..${range.toSha}`;
}

/** The same git everywhere: no pager, no colour, paths unquoted, stable sort of output. */
function gitArgs(repoDir: string, args: string[]): string[] {
  return ["-C", repoDir, "-c", "core.quotepath=off", "-c", "color.ui=never", ...args];
}

const gitEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  LC_ALL: "C",
  GIT_TERMINAL_PROMPT: "0",
  GIT_PAGER: "cat",
  ...extra,
});

const cannotRunGit = (error: Error): GitCommandError =>
  new GitCommandError(
    `cannot run git (${error.message}): install git and put it on PATH`,
    null,
    "",
  );

/**
 * Runs `git -C <repoDir> <args…>` (an argument array, never a shell string) and returns its
 * stdout. `okExitCodes` lists exit codes that are answers rather than failures (e.g. 1 from
 * `merge-base` when there is none); the caller gets `{ stdout, exitCode }` for those.
 *
 * @throws GitCommandError when git cannot start or exits with another code.
 */
export async function runGit(params: {
  repoDir: string;
  args: string[];
  okExitCodes?: number[];
  /** Extra environment, e.g. GIT_CONFIG_* carrying a credential (never in `args`, which logs show). */
  env?: Record<string, string>;
}): Promise<{ stdout: string; exitCode: number }> {
  const ok = new Set([0, ...(params.okExitCodes ?? [])]);
  const { code, stdout, stderrTail } = await runCaptured({
    program: "git",
    args: gitArgs(params.repoDir, params.args),
    env: gitEnv(params.env),
    stderrTailChars: STDERR_TAIL_CHARS,
    cannotStart: cannotRunGit,
  });
  if (code !== null && ok.has(code)) return { stdout, exitCode: code };
  throw new GitCommandError(
    `git ${params.args.slice(0, 3).join(" ")} failed in ${params.repoDir} (exit ${code}): ${stderrTail.trim() || "no error output"}`,
    code,
    stderrTail,
  );
}

/**
 * Runs `git <producerArgs>` with its stdout piped into `git <consumerArgs>` (both argument arrays)
 * and returns the consumer's stdout; used for `git log -p … | git patch-id --stable`, whose diff
 * text is streamed rather than held in memory.
 *
 * @throws GitCommandError when either side fails.
 */
export function pipeGit(params: {
  repoDir: string;
  producerArgs: string[];
  consumerArgs: string[];
}): Promise<string> {
  return new Promise((resolve, reject) => {
    const producer = spawn("git", gitArgs(params.repoDir, params.producerArgs), {
      env: gitEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const consumer = spawn("git", gitArgs(params.repoDir, params.consumerArgs), {
      env: gitEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    producer.stdout.pipe(consumer.stdin);
    // The consumer may stop reading early on error; the producer then gets EPIPE, which close reports.
    consumer.stdin.on("error", () => undefined);
    const chunks: Buffer[] = [];
    let stderr = "";
    const keepStderr = (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    };
    producer.stderr.setEncoding("utf8").on("data", keepStderr);
    consumer.stderr.setEncoding("utf8").on("data", keepStderr);
    consumer.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    let producerCode: number | null | undefined;
    let consumerCode: number | null | undefined;
    const finish = () => {
      if (producerCode === undefined || consumerCode === undefined) return;
      if (producerCode === 0 && consumerCode === 0) {
        resolve(Buffer.concat(chunks).toString("utf8"));
        return;
      }
      const failed = producerCode !== 0 ? params.producerArgs : params.consumerArgs;
      reject(
        new GitCommandError(
          `git ${failed.slice(0, 3).join(" ")} failed in ${params.repoDir}: ${stderr.trim() || "no error output"}`,
          producerCode !== 0 ? producerCode : consumerCode,
          stderr,
        ),
      );
    };
    for (const child of [producer, consumer]) {
      child.on("error", (error) => reject(cannotRunGit(error)));
    }
    producer.on("close", (code) => {
      producerCode = code;
      finish();
    });
    consumer.on("close", (code) => {
      consumerCode = code;
      finish();
    });
  });
}
