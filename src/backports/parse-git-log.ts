/** One commit as `git log` describes it (see GIT_LOG_FORMAT). */
export interface GitCommit {
  sha: string;
  authorDate: string;
  commitDate: string;
  authorEmail: string;
  authorName: string;
  subject: string;
  /** The whole message, subject line included, without trailing blank lines. */
  message: string;
  files: string[];
  insertions: number;
  deletions: number;
}

const RECORD = "\x1e";
const FIELD = "\x1f";

/**
 * The `--format` for parseGitLog: a record separator, then sha, author date, committer date,
 * author email, author name and raw message, each ended by a unit separator; `--numstat`
 * lines follow each record.
 */
export const GIT_LOG_FORMAT = `${RECORD}%H${FIELD}%aI${FIELD}%cI${FIELD}%ae${FIELD}%an${FIELD}%B${FIELD}`;

/**
 * Parses `git log --format=GIT_LOG_FORMAT --numstat --no-renames` output. Binary files count as
 * changed with no line counts.
 *
 * @throws Error when a record does not have the expected fields (the format was not used).
 */
export function parseGitLog(output: string): GitCommit[] {
  const commits: GitCommit[] = [];
  for (const record of output.split(RECORD)) {
    if (record.trim() === "") continue;
    const fields = record.split(FIELD);
    if (fields.length !== 7) {
      throw new Error(
        `unexpected git log record (${fields.length} fields, wanted 7): ${record.slice(0, 80)}`,
      );
    }
    const [sha, authorDate, commitDate, authorEmail, authorName, rawMessage, numstat] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const message = rawMessage.replace(/\s+$/, "");
    let insertions = 0;
    let deletions = 0;
    const files: string[] = [];
    for (const line of numstat.split("\n")) {
      const match = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line);
      if (!match) continue;
      insertions += match[1] === "-" ? 0 : Number(match[1]);
      deletions += match[2] === "-" ? 0 : Number(match[2]);
      files.push(match[3] as string);
    }
    commits.push({
      sha,
      authorDate,
      commitDate,
      authorEmail,
      authorName,
      subject: message.split("\n", 1)[0] ?? "",
      message,
      files,
      insertions,
      deletions,
    });
  }
  return commits;
}
