import { parsePatchHunks } from "../prompts/parse-hunks.js";

/** A file of `GET /repos/{o}/{r}/compare/{base}...{head}` (the fields used here). */
export interface ComparedFile {
  filename: string;
  status: string;
  previous_filename?: string | undefined;
  patch?: string | undefined;
}

/**
 * Did the commented line change between the comment's commit (compare base) and the new head?
 * `line` is on the RIGHT side of the comment's commit, i.e. the *old* side of this compare: the
 * line changed when the compare deletes (or replaces) that old line, or removes the file.
 * Returns undefined when the compare cannot tell (no patch: binary or too large).
 */
export function didLineChange(params: {
  files: readonly ComparedFile[];
  path: string;
  line: number;
}): boolean | undefined {
  const file = params.files.find(
    (candidate) =>
      candidate.filename === params.path || candidate.previous_filename === params.path,
  );
  if (!file) return false;
  if (file.status === "removed") return true;
  if (file.patch === undefined) return file.status === "renamed" ? false : undefined;
  return parsePatchHunks(file.patch).some((hunk) =>
    hunk.lines.some((row) => row.kind === "del" && row.oldLine === params.line),
  );
}
