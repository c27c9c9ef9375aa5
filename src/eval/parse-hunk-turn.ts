import { buildHunkTurn } from "../prompts/build-chat-turns.js";
import type { HunkLine } from "../prompts/diff-hunk.js";
import type { PromptTemplates } from "../prompts/load-prompts.js";
import type { Hunk } from "../review/parse-diff-hunks.js";

const HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
const ANCHOR = /^([LR])(\d+)/;

/**
 * Reads a dataset's user turn (`prompts/hunk.md` filled with a path and a rendered hunk) back
 * into the hunk the review stage sends, so holdout hunks go through the same prompt building as a
 * pull request's. The result renders to exactly the same turn; context lines get old-file
 * numbers by counting (the prompt does not show them and no answer can name them).
 *
 * @throws Error when the turn was not rendered by this `prompts/hunk.md` and hunk renderer.
 */
export function parseHunkTurn(params: { templates: PromptTemplates; turn: string }): Hunk {
  const { path, renderedHunk } = splitTurn(params);
  const hunk: Hunk = { ...parseRenderedHunk(renderedHunk), path, oldPath: path, indexInFile: 0 };
  if (buildHunkTurn({ templates: params.templates, path, hunk }) !== params.turn) {
    throw new Error(
      "the user turn does not render back to itself: it was built with another prompts/hunk.md or hunk renderer; collect the history again (--force-reload) so the holdout matches the current prompts",
    );
  }
  return hunk;
}

function splitTurn(params: { templates: PromptTemplates; turn: string }) {
  const template = params.templates.hunk;
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = template
    .split(/(\{\{\s*(?:path|hunk)\s*\}\})/)
    .map((piece) => {
      if (/^\{\{\s*path\s*\}\}$/.test(piece)) return "(?<path>[^\\n]*?)";
      if (/^\{\{\s*hunk\s*\}\}$/.test(piece)) return "(?<hunk>@@[\\s\\S]*?)";
      return escapeRegExp(piece);
    })
    .join("");
  const match = new RegExp(`^${pattern}$`).exec(params.turn);
  const path = match?.groups?.path;
  const renderedHunk = match?.groups?.hunk;
  if (path === undefined || renderedHunk === undefined) {
    throw new Error(
      `the user turn does not follow prompts/hunk.md ("${params.turn.slice(0, 60)}…"): is this a dataset line from the history stage?`,
    );
  }
  return { path, renderedHunk };
}

function parseRenderedHunk(text: string): Omit<Hunk, "path" | "oldPath" | "indexInFile"> {
  const [header = "", ...rows] = text.split("\n");
  const starts = HEADER.exec(header);
  if (!starts) throw new Error(`the hunk does not start with an "@@ -a,b +c,d @@" header`);
  const oldStart = Number(starts[1]);
  const newStart = Number(starts[2]);
  const width = Math.max(0, ...rows.map((row) => ANCHOR.exec(row)?.[0].length ?? 0));
  let nextOldLine: number | undefined;
  const lines = rows.map((row, index): HunkLine => {
    const anchor = ANCHOR.exec(row);
    if (!anchor) throw new Error(`hunk row ${index + 1} has no L<n>/R<n> anchor: "${row}"`);
    const number = Number(anchor[2]);
    const marker = row[width + 1];
    const content = row.slice(width + 2);
    if (marker === "-" && anchor[1] === "L") {
      nextOldLine = number + 1;
      return { kind: "del", oldLine: number, content };
    }
    if (marker === "+" && anchor[1] === "R") return { kind: "add", newLine: number, content };
    if (marker === " " && anchor[1] === "R") {
      const oldLine = nextOldLine ?? number + oldStart - newStart;
      nextOldLine = oldLine + 1;
      return { kind: "context", oldLine, newLine: number, content };
    }
    throw new Error(`hunk row ${index + 1} has an anchor and marker that do not match: "${row}"`);
  });
  return { header, oldStart, newStart, lines };
}
