import { BackportInputError } from "../backports/backport-input-error.js";
import { describeFailure } from "../backports/describe-failure.js";
import { parseTriageArgs, TRIAGE_USAGE } from "../backports/parse-triage-args.js";
import { runBackportsCommand } from "../backports/run-backports-command.js";
import { ConfigError } from "../config/config-error.js";
import { loadBackportsCliConfig } from "./load-backports-config.js";
import { loadDotEnv } from "./load-dot-env.js";
import { runCommandLine, writeProgress } from "./run-command-line.js";

// `npm run backports -- --git-dir <dir> --dev <branch> --stable <branch> --out <dir>`: see TRIAGE_USAGE.
loadDotEnv();
await runCommandLine({
  parse: parseTriageArgs,
  usage: TRIAGE_USAGE,
  run: async (args) => {
    const { result, files } = await runBackportsCommand({
      args,
      config: loadBackportsCliConfig(process.env),
      now: new Date(),
      onProgress: writeProgress,
    });
    const { counts } = result;
    process.stdout.write(
      `${counts.commits} commits: ${counts.backported} already backported, ${counts.cached} judged before, ${counts.evaluated} judged now\nwrote ${files.html}\nwrote ${files.verdicts}\n`,
    );
  },
  fail: (error) => {
    process.stderr.write(`backports failed: ${describeFailure(error)}\n`);
    return error instanceof BackportInputError || error instanceof ConfigError ? 2 : 1;
  },
});
