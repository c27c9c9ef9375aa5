import { BackportInputError } from "./backport-input-error.js";
import { type BackportsRepoArgs, parseBackportsCommandLine } from "./backports-command-line.js";

/** The command line of `npm run backports`, printed by --help and on a usage error. */
export const TRIAGE_USAGE = `Usage: npm run backports -- --git-dir <dir> --dev <branch> --stable <branch> [--since <rev>]
         [--model <name>] --out <dir> [options]

Judges every non-merge commit of --dev since its merge base with --stable (or --since): already
backported (cherry-pick note or same patch id), or Y (backport now), W (after observation),
N (no) or U (uncertain), each with a reason. Writes <out>/index.html (the report, opens from disk)
and <out>/verdicts.jsonl; <out>/verdict-cache.json and <out>/model.json make reruns judge only
new commits.

  --git-dir <dir>       a full (not shallow) clone, its .git folder or a bare repository
  --dev <branch>        the development branch, e.g. main
  --stable <branch>     the stable branch to backport to, e.g. release/1.7
  --since <rev>         judge only commits after this tag or sha (the ones before it, with
                        earlier stable branches, are the history the verdict model learns from)
  --model <name>        the LLM model (base model or persona adapter) that writes reasons
                        (default: BASE_MODEL_NAME); needs LLM_BASE_URL
  --out <dir>           output folder
  --history <branch>    an earlier stable branch to learn from (repeat; default: up to 3 older
                        branches named like --stable)
  --refit               learn the verdict model again (verdicts are then decided again)
  --no-llm              do not ask the LLM even when LLM_BASE_URL is set
  --web-url <url>       the repository's web address for links (default: from remote origin)
  --bold <regex>        subjects to set in bold (default: bug and doc fixes, generic patterns)
  --wait-days <days>    a backport later than this after landing counts as W (default 14)
  --repo <owner/name>   the repository's name in the report (default: the folder's name)
  -h, --help            print this text

Environment: LLM_BASE_URL (unset: no LLM, said in the report), LLM_API_KEY, BASE_MODEL_NAME,
LLM_TIMEOUT_MS, LLM_MAX_RETRIES, BACKPORTS_PYTHON (default python3, needs scikit-learn).
`;

export interface TriageArgs extends BackportsRepoArgs {
  help: boolean;
  stable: string;
  llmModel?: string;
  outDir: string;
  historyBranches?: string[];
  refit: boolean;
  noLlm: boolean;
  webUrl?: string;
  bold?: RegExp;
  waitDays: number;
}

/**
 * Parses `npm run backports` arguments.
 *
 * @throws BackportInputError naming the missing or bad option.
 */
export function parseTriageArgs(argv: readonly string[]): TriageArgs {
  const { values, text, required, repoArgs } = parseBackportsCommandLine(argv, {
    stable: { type: "string" },
    model: { type: "string" },
    history: { type: "string", multiple: true },
    refit: { type: "boolean", default: false },
    "no-llm": { type: "boolean", default: false },
    "web-url": { type: "string" },
    bold: { type: "string" },
    "wait-days": { type: "string" },
  });
  if (values.help === true) {
    return {
      help: true,
      gitDir: "",
      dev: "",
      stable: "",
      outDir: "",
      refit: false,
      noLlm: false,
      waitDays: 14,
    };
  }
  const waitText = text("wait-days");
  const waitDays = waitText === undefined ? 14 : Number(waitText);
  if (!(waitDays >= 0))
    throw new BackportInputError(`--wait-days must be a number of days, got "${waitText}"`);
  const boldText = text("bold");
  let bold: RegExp | undefined;
  if (boldText !== undefined) {
    try {
      bold = new RegExp(boldText, "i");
    } catch (error) {
      throw new BackportInputError(
        `--bold "${boldText}" is not a regular expression: ${(error as Error).message}`,
      );
    }
  }
  const webUrl = text("web-url");
  if (webUrl !== undefined && !/^https?:\/\/[^\s"'<>]+$/.test(webUrl)) {
    throw new BackportInputError(
      `--web-url must be an http(s) address, e.g. https://github.com/acme/shop, got "${webUrl}"`,
    );
  }
  const history = (values.history as string[] | undefined)
    ?.map((name) => name.trim())
    .filter(Boolean);
  const llmModel = text("model");
  return {
    help: false,
    ...repoArgs("../shop"),
    stable: required("stable", "release/1.7"),
    outDir: required("out", "backports-report"),
    refit: values.refit === true,
    noLlm: values["no-llm"] === true,
    waitDays,
    ...(llmModel ? { llmModel } : {}),
    ...(history && history.length > 0 ? { historyBranches: history } : {}),
    ...(webUrl ? { webUrl } : {}),
    ...(bold ? { bold } : {}),
  };
}
