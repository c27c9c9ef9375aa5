import { describeEvaluation } from "../eval/describe-evaluation.js";
import { EVAL_USAGE, parseEvalArgs, UsageError } from "../eval/parse-eval-args.js";
import { runEvalCommand } from "../eval/run-eval-command.js";
import { createLogger } from "./create-logger.js";
import { loadDotEnv } from "./load-dot-env.js";
import { loadEvalConfig } from "./load-eval-config.js";
import { runCommandLine } from "./run-command-line.js";

// `npm run eval -- --repo o/r --reviewer login [--model name]`: see EVAL_USAGE.
loadDotEnv();
const log = await createLogger();
await runCommandLine({
  parse: parseEvalArgs,
  usage: EVAL_USAGE,
  run: async (args) => {
    const config = loadEvalConfig(process.env, { scoreOnly: Boolean(args.predictionsPath) });
    const { scores, files } = await runEvalCommand({ args, config, log });
    process.stdout.write(
      `${describeEvaluation(scores)}\nwrote ${files.markdown}\nwrote ${files.json}\nwrote ${files.svg}\n`,
    );
  },
  fail: (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${EVAL_USAGE}`);
      return 2;
    }
    const causes: string[] = [];
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
      causes.push(cause.message);
    }
    process.stderr.write(`eval failed: ${causes.join("\n  caused by: ") || String(error)}\n`);
    return 1;
  },
});
