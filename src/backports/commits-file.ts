import { readFile } from "node:fs/promises";
import { gunzipSync, gzipSync } from "node:zlib";
import { BackportInputError } from "./backport-input-error.js";
import { type CommitRecord, commitRecordSchema } from "./commit-record.js";
import { toJsonLines } from "./json-lines.js";
import { writeFileAtomically } from "./write-file-atomically.js";

/** Writes records as JSON lines, gzip-compressed when the path ends in .gz; atomically. */
export async function writeCommitsFile(path: string, records: CommitRecord[]): Promise<void> {
  const text = toJsonLines(records);
  const body = path.endsWith(".gz") ? gzipSync(text, { level: 9 }) : Buffer.from(text, "utf8");
  await writeFileAtomically(path, body);
}

/**
 * Reads a commits file (JSON lines, gzip-compressed or not).
 *
 * @throws BackportInputError naming the file and line of the first bad record.
 */
export async function readCommitsFile(path: string): Promise<CommitRecord[]> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw new BackportInputError(
      `--commits ${path}: cannot read it (${(error as Error).message}); write one with npm run backports:export`,
      { cause: error },
    );
  }
  // gzip's magic bytes, whatever the file is called.
  const text =
    raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  const records: CommitRecord[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new BackportInputError(
        `${path}:${index + 1} is not JSON: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const parsed = commitRecordSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`)
        .join("; ");
      throw new BackportInputError(
        `${path}:${index + 1} is not a commit record (${problems}); the format is in docs/backports/README.md`,
      );
    }
    records.push(parsed.data);
  }
  if (records.length === 0) {
    throw new BackportInputError(
      `${path} holds no commit record; export one with npm run backports:export`,
    );
  }
  return records;
}
