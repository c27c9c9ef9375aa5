import { BackportInputError } from "../backports/backport-input-error.js";
import { describeFailure } from "../backports/describe-failure.js";
import { exportCommits } from "../backports/export-commits.js";
import { EXPORT_USAGE, parseExportArgs } from "../backports/parse-export-args.js";
import { runCommandLine, writeProgress } from "./run-command-line.js";

// `npm run backports:export -- --git-dir <dir> --dev <branch> --stable <branch> --out <file>`.
await runCommandLine({
  parse: parseExportArgs,
  usage: EXPORT_USAGE,
  run: async (args) => {
    const { records, path } = await exportCommits({
      args,
      onProgress: writeProgress,
    });
    const backported = records.filter((record) => record.backported).length;
    process.stdout.write(`wrote ${path}: ${records.length} commits, ${backported} backported\n`);
  },
  fail: (error) => {
    process.stderr.write(`backports:export failed: ${describeFailure(error)}\n`);
    if (error instanceof BackportInputError) process.stderr.write(`\n${EXPORT_USAGE}`);
    return error instanceof BackportInputError ? 2 : 1;
  },
});
