import { BackportInputError } from "./backport-input-error.js";
import { type BackportsRepoArgs, parseBackportsCommandLine } from "./backports-command-line.js";

/** The command line of `npm run backports:export`, printed by --help and on a usage error. */
export const EXPORT_USAGE = `Usage: npm run backports:export -- --git-dir <dir> --dev <branch> --stable <branch>
         [--stable <branch> …] [--since <rev>] [--until <rev>] [--repo <owner/name>] --out <file.jsonl.gz>

Writes one JSON object per non-merge dev commit (docs/backports/README.md has the format): its
message, files and size, and whether it reached the stable branch (a cherry-pick trailer or a
similar mechanical note in a stable commit, or the same git patch-id --stable), after how many days.

  --git-dir <dir>     a full (not shallow) clone, or its .git folder, or a bare repository
  --dev <branch>      the development branch, e.g. main
  --stable <branch>   a stable branch; repeat it, oldest first, to export several: each one's dev
                      range then runs from its merge base with --dev to the next one's merge base
  --since <rev>       start of the (first) range, exclusive (default: the merge base)
  --until <rev>       end of the (last) range, inclusive (default: --dev's tip)
  --repo <owner/name> the "repo" field (default: the clone's folder name)
  --out <file>        the commits file; .gz compresses it
  -h, --help          print this text
`;

export interface ExportArgs extends BackportsRepoArgs {
  help: boolean;
  stables: string[];
  until?: string;
  outPath: string;
}

/**
 * Parses `npm run backports:export` arguments.
 *
 * @throws BackportInputError naming the missing or bad option.
 */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const { values, text, required, repoArgs } = parseBackportsCommandLine(argv, {
    stable: { type: "string", multiple: true },
    until: { type: "string" },
  });
  if (values.help === true) return { help: true, gitDir: "", dev: "", stables: [], outPath: "" };
  const stables = ((values.stable as string[] | undefined) ?? []).map((name) => name.trim());
  if (stables.length === 0 || stables.some((name) => name === "")) {
    throw new BackportInputError(
      "--stable is required, e.g. --stable release/1.7 (repeat it for several)",
    );
  }
  const until = text("until");
  return {
    help: false,
    ...repoArgs("../containerd"),
    stables,
    outPath: required("out", "containerd-commits.jsonl.gz"),
    ...(until ? { until } : {}),
  };
}
