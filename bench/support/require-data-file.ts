import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { sharedDir } from "../../support/locate-shared-data.js";

/** The recorded review history the data benches read: the project's shared data. */
const SHARED_HISTORY = "data/secp256k1-review-history.jsonl.gz";
const KEPT_OUT =
  "the project's shared data, kept out of the repository (its terms forbid copying it there)";

/**
 * `path` if it exists; else one line on stderr naming the file, what it is and how to get it,
 * and exit 1: a bench that needs data ends there, not in an ENOENT stack trace.
 */
export function requireDataFile(params: { path: string; what: string; howToGet: string }): string {
  const path = resolve(params.path);
  if (existsSync(path)) return path;
  process.stderr.write(`${path} is missing: ${params.what}; ${params.howToGet}.\n`);
  process.exit(1);
}

/** The file `--history` names, or exit 1 saying where the recorded one lives. */
export function requireHistoryArgument(path: string): string {
  return requireDataFile({
    path,
    what: "the review history --history names",
    howToGet: `pass a recorded history (one pull request per JSON line, .jsonl or .jsonl.gz); secp256k1's is ${KEPT_OUT}, at shared/${SHARED_HISTORY} beside the clone`,
  });
}

/** The shared recorded history (../shared, or SHARED_DIR), or exit 1 saying how to get it. */
export function requireSharedHistory(): string {
  return requireDataFile({
    path: resolve(sharedDir, SHARED_HISTORY),
    what: "the recorded review history of bitcoin-core/secp256k1 this command reads",
    howToGet: `it is ${KEPT_OUT}: put the project's shared/ folder beside the clone, or set SHARED_DIR to the folder that holds ${SHARED_HISTORY}`,
  });
}

/**
 * A reviewer bench's `--history` (an existing file) and `--reviewer`; without either, the
 * usage line on stderr and exit 2.
 */
export function requireHistoryAndReviewer(
  values: { history?: string; reviewer?: string },
  usage: string,
): { historyPath: string; reviewer: string } {
  if (!values.history || !values.reviewer) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  return { historyPath: requireHistoryArgument(values.history), reviewer: values.reviewer };
}
