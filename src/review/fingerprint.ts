import { createHash } from "node:crypto";
import type { Hunk } from "./parse-diff-hunks.js";

const MARKER_PREFIX = "tech-lead-bot";
const FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * A short stable id of "this reviewer's model has read this hunk": the path, the hunk's text with
 * whitespace normalised and no line numbers (so a hunk that only moved keeps its id after a
 * push), the reviewer and the model version. A rerun skips hunks whose fingerprint is already
 * on the PR. `occurrence` tells apart identical hunks of one file (the second copy is 1, …): without
 * it they would share an id and a rerun would take the unread copy for read.
 */
export function fingerprintHunk(params: {
  hunk: Hunk;
  reviewerLogin: string;
  modelVersion: string;
  occurrence?: number;
}): string {
  const { hunk } = params;
  const normalisedLines = hunk.lines.map((line) => {
    const marker = line.kind === "add" ? "+" : line.kind === "del" ? "-" : " ";
    return marker + line.content.replace(/\s+/g, " ").trim();
  });
  return createHash("sha256")
    .update(
      [
        params.reviewerLogin.toLowerCase(),
        params.modelVersion,
        hunk.path,
        String(hunk.part ?? 0),
        ...normalisedLines,
        // Only repeats get a suffix, so the first copy keeps the id earlier reviews recorded.
        ...(params.occurrence ? [`occurrence ${params.occurrence}`] : []),
      ].join("\n"),
    )
    .digest("hex")
    .slice(0, 16);
}

/** The hidden marker appended to each inline comment (an HTML comment GitHub does not show). */
export function commentFingerprintMarker(fingerprint: string): string {
  return `<!-- ${MARKER_PREFIX} fp:${fingerprint} -->`;
}

/** The hidden marker in a review body listing every hunk the review read, comment or not. */
export function reviewFingerprintMarker(fingerprints: readonly string[]): string {
  return `<!-- ${MARKER_PREFIX} read:${fingerprints.join(",")} -->`;
}

/** Every fingerprint in a review body or comment body written by the bot. */
export function extractFingerprints(body: string): string[] {
  const found: string[] = [];
  const marker = new RegExp(`<!-- ${MARKER_PREFIX} (?:fp|read):([0-9a-f,]*) -->`, "g");
  for (const match of body.matchAll(marker)) {
    for (const fingerprint of (match[1] ?? "").split(",")) {
      if (FINGERPRINT.test(fingerprint)) found.push(fingerprint);
    }
  }
  return found;
}
