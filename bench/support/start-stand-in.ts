import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/**
 * Starts a stand-in service script (bench/serve-stand-in-*.ts and the like) in its own process,
 * as the real service would run, and waits for the first message it sends (`ready`). `ask`
 * sends a message over IPC and awaits the answer; `close` asks it to exit and waits until it has.
 */
export async function startStandIn<Ready>(script: URL, env: Record<string, string>) {
  const child = fork(script, {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
  });
  const [ready] = (await once(child, "message")) as [Ready];
  const ask = async <Answer>(message: string): Promise<Answer> => {
    child.send(message);
    return ((await once(child, "message")) as [Answer])[0];
  };
  const close = async () => {
    child.send("close");
    await once(child, "exit");
  };
  return { ready, ask, close };
}

/** bench/serve-stand-in-llm.ts, answering every request after `delayMs`. */
export function startStandInLlm(delayMs: number) {
  return startStandIn<{ baseUrl: string }>(new URL("../serve-stand-in-llm.ts", import.meta.url), {
    LLM_DELAY_MS: String(delayMs),
  });
}

/**
 * A bench stand-in GitHub (bench/<script>) serving test/fixtures/diffs/<diff> as the diff of
 * pull request #1 (BENCH_DIFF_PATH), with any further variables in `env`.
 */
export function startStandInGithub<Ready>(
  script: string,
  diff: string,
  env: Record<string, string> = {},
) {
  return startStandIn<Ready>(new URL(`../${script}`, import.meta.url), {
    BENCH_DIFF_PATH: fileURLToPath(new URL(`../../test/fixtures/diffs/${diff}`, import.meta.url)),
    ...env,
  });
}
