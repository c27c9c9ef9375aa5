import type { CommitRecord } from "./commit-record.js";

/** Bump when a feature's name or value changes: models fitted on other features are refused. */
export const FEATURE_VERSION = "backport-features/2";

/** The inputs a verdict is learned from: what a maintainer sees of a commit. */
export type FeatureInput = Pick<
  CommitRecord,
  "subject" | "message" | "files_changed" | "insertions" | "deletions" | "files_count"
> & {
  /** How old the stable branch was when the commit landed, in days (when known). */
  stableAgeDays?: number | undefined;
};

const TRAILER_LINE = /^([A-Za-z][A-Za-z0-9-]{1,40}):\s+\S/;
const WORD = /[a-z][a-z0-9_]{1,29}/g;
const TEST_PATH =
  /(^|\/)(tests?|testdata|testing|spec|__tests__|integration)\/|_test\.|\.test\.|(^|\/)test_/i;
const DOC_PATH =
  /(^|\/)(docs?|man|documentation)\/|\.(md|rst|txt|adoc|markdown)$|(^|\/)(README|CHANGELOG|NEWS|AUTHORS)/i;

/**
 * The subject's tag: a leading "[…]" ("[net] fix x" → "net"), else what comes before the first
 * ": " when it is short and has no spaces ("fix(cri)", "BUG/MEDIUM", "build(deps)",
 * "runtime/v2"), lower-cased; "" when there is none.
 */
export function subjectTag(subject: string): string {
  const trimmed = subject.trim();
  const bracket = /^\[([^\]\s]{1,40})\]\s/.exec(trimmed);
  const colon = /^([^\s:]{1,40}):\s/.exec(trimmed);
  return (bracket?.[1] ?? colon?.[1] ?? "").toLowerCase();
}

/** Lower-case words of letters, digits and "_", starting with a letter (numbers say little). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function addGroup(features: Map<string, number>, prefix: string, items: string[]): void {
  if (items.length === 0) return;
  const unique = [...new Set(items)];
  // Every item of a group weighs the same, and the group as a whole weighs 1 (L2 norm).
  const weight = 1 / Math.sqrt(unique.length);
  for (const item of unique) features.set(`${prefix}${item}`, weight);
}

/**
 * A commit's features by name (a sparse vector): words and word pairs of the subject, words of
 * the body, trailer keys, issue references, the subject's tag, the top folders and extensions of
 * the files, whether it touches only tests or only docs, and its size. Nothing project-specific:
 * every name is built from the commit itself.
 */
export function extractCommitFeatures(commit: FeatureInput): Map<string, number> {
  const features = new Map<string, number>();
  const lines = commit.message.split("\n");
  const subject = commit.subject || lines[0] || "";
  const bodyLines = lines.slice(1);
  const trailerKeys: string[] = [];
  const prose: string[] = [];
  for (const line of bodyLines) {
    const trailer = TRAILER_LINE.exec(line.trim());
    if (
      trailer?.[1] &&
      /-by$|^fixes$|^closes$|^refs?$|^see-also$|^link$|^change-id$/i.test(trailer[1])
    ) {
      trailerKeys.push(trailer[1].toLowerCase());
      if (!/-by$/i.test(trailer[1])) prose.push(line);
    } else {
      prose.push(line);
    }
  }
  const tag = subjectTag(subject);
  const subjectWords = tokenize(
    subject.trim().replace(/^\[[^\]\s]{1,40}\]\s|^[^\s:]{1,40}:\s/, ""),
  );
  addGroup(features, "s:", subjectWords);
  addGroup(
    features,
    "s2:",
    subjectWords.slice(1).map((word, index) => `${subjectWords[index]}_${word}`),
  );
  const body = prose.join("\n");
  addGroup(features, "b:", tokenize(body));
  addGroup(features, "trailer:", trailerKeys);
  features.set(`tag:${tag === "" ? "(none)" : tag}`, 1);
  if (tag !== "") addGroup(features, "tagword:", tokenize(tag));
  if (/#\d+|\bissues?\/\d+|\bpull\/\d+/i.test(body)) features.set("ref:issue", 1);
  if (/\b[0-9a-f]{8,40}\b/.test(body)) features.set("ref:commit", 1);
  if (body.trim() === "") features.set("body:empty", 1);
  const paths = commit.files_changed;
  const folders = paths.map((path) => path.split("/").slice(0, -1));
  addGroup(
    features,
    "dir1:",
    folders.map((parts) => parts[0] ?? "(root)"),
  );
  addGroup(
    features,
    "dir2:",
    folders.filter((parts) => parts.length >= 2).map((parts) => parts.slice(0, 2).join("/")),
  );
  addGroup(
    features,
    "ext:",
    paths.map((path) => /\.([A-Za-z0-9]{1,8})$/.exec(path)?.[1]?.toLowerCase() ?? "(none)"),
  );
  if (paths.length > 0) {
    const tests = paths.filter((path) => TEST_PATH.test(path)).length;
    const docs = paths.filter((path) => DOC_PATH.test(path)).length;
    if (tests === paths.length) features.set("only:tests", 1);
    else if (tests > 0) features.set("touches:tests", 1);
    if (docs === paths.length) features.set("only:docs", 1);
    else if (docs > 0) features.set("touches:docs", 1);
  }
  features.set("size:files", Math.log1p(commit.files_count ?? paths.length) / 3);
  features.set("size:insertions", Math.log1p(commit.insertions) / 6);
  features.set("size:deletions", Math.log1p(commit.deletions) / 6);
  features.set(`size:${sizeBucket(commit.insertions + commit.deletions)}`, 1);
  if (commit.stableAgeDays !== undefined) {
    // A young stable branch takes more fixes than an old one.
    const age = Math.max(0, commit.stableAgeDays);
    features.set("stable:age", Math.log1p(age) / 6);
    features.set(
      `stable:${age < 30 ? "month" : age < 90 ? "quarter" : age < 365 ? "year" : "older"}`,
      1,
    );
  }
  return features;
}

/** Changed lines in four rough sizes, so a linear model can weigh small and large changes apart. */
function sizeBucket(changedLines: number): string {
  if (changedLines <= 10) return "tiny";
  if (changedLines <= 50) return "small";
  if (changedLines <= 300) return "medium";
  return "large";
}
