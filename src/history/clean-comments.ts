import { parseSingleHunk } from "../prompts/parse-hunks.js";
import { extractTarget, isLinkOnly } from "./extract-target.js";
import type { RawReviewComment } from "./history-records.js";

/** A review comment worth learning from, with the one-line target the model is trained on. */
export type CleanComment = {
  id: string;
  pullNumber: number;
  path: string;
  diffHunk: string;
  side: "LEFT" | "RIGHT";
  /** The commented line, counted from the hunk (so it always matches what the model sees). */
  line: number;
  createdAt: string;
  /** The comment without quoted lines, suggestion blocks kept. */
  text: string;
  /** First sentence or line of `text`, one line. */
  target: string;
};

/** Why a comment was dropped; counted in the statistics. */
export type DropReason =
  | "reply"
  | "bot"
  | "this-app"
  | "no-line"
  | "empty"
  | "content-free"
  | "link-only"
  | "duplicate";

const contentFreePattern =
  /^(lgtm|looks good( to me)?|\+1|-1|ok(ay)?|k|thanks?( you)?|thx|ty|nice( one)?|done|ship ?it|same( here)?|ditto|agreed?|yes|no|nit|((concept|approach|code review|ut|t) ?)?ack|\?+|!+)$/i;

/** Removes quoted lines (`> …`, what the reviewer replied to, not their words). */
export function stripQuotedLines(body: string): string {
  return body
    .replace(/\r\n/g, "\n")
    .split("\n")
    .filter((line) => !/^\s*>/.test(line))
    .join("\n")
    .trim();
}

/** True for comments that carry no reviewing voice: "LGTM", "+1", emoji or punctuation only. */
export function isContentFree(text: string): boolean {
  const withoutEmoji = text
    .replace(/:[a-z0-9_+-]+:/gi, " ")
    .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}/gu, " ");
  const words = withoutEmoji
    .replace(/[\s.,;!]+$/g, "")
    .replace(/^[\s]+/, "")
    .replace(/\s+/g, " ");
  if (!/[\p{L}\p{N}]/u.test(words)) return true;
  return contentFreePattern.test(words);
}

function commentedLine(comment: RawReviewComment): number | undefined {
  try {
    const last = parseSingleHunk(comment.diffHunk).lines.at(-1);
    if (!last) return undefined;
    return last.kind === "del" ? last.oldLine : last.newLine;
  } catch {
    return undefined;
  }
}

/**
 * Applies the cleaning rules, in order: drop replies inside threads, comments by bots and by this
 * app, comments without a line hunk (file-level), then strip quoted lines and drop comments left
 * empty, only a link (a commit URL says nothing a model could learn) or content-free, or with no
 * meaningful sentence to learn (a bare "nit:"), then de-duplicate (same pull request, path, line and text — a double
 * submit). Suggestion blocks stay in the text. Returns the kept comments, oldest first, and the
 * count of drops per rule.
 */
export function cleanComments(params: { comments: RawReviewComment[]; appBotLogin: string }): {
  kept: CleanComment[];
  dropped: Record<DropReason, number>;
} {
  const dropped: Record<DropReason, number> = {
    reply: 0,
    bot: 0,
    "this-app": 0,
    "no-line": 0,
    empty: 0,
    "content-free": 0,
    "link-only": 0,
    duplicate: 0,
  };
  const kept: CleanComment[] = [];
  const seen = new Set<string>();
  const byTime = [...params.comments].sort(
    (left, right) =>
      left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id),
  );
  const appLogin = params.appBotLogin.toLowerCase();
  for (const comment of byTime) {
    const login = comment.authorLogin?.toLowerCase() ?? "";
    let reason: DropReason | undefined;
    const text = stripQuotedLines(comment.body);
    const line = commentedLine(comment);
    const key = `${comment.pullNumber}\u0000${comment.path}\u0000${comment.side}${line}\u0000${text.replace(/\s+/g, " ")}`;
    if (comment.replyToId) reason = "reply";
    else if (login === appLogin || login === appLogin.replace(/\[bot\]$/, "")) reason = "this-app";
    else if (comment.authorIsBot) reason = "bot";
    else if (line === undefined) reason = "no-line";
    else if (!text) reason = "empty";
    else if (isLinkOnly(text)) reason = "link-only";
    else if (isContentFree(text)) reason = "content-free";
    else if (seen.has(key) || seen.has(comment.id)) reason = "duplicate";
    if (reason || line === undefined) {
      dropped[reason ?? "no-line"] += 1;
      continue;
    }
    const target = extractTarget(text);
    if (!target) {
      dropped["content-free"] += 1;
      continue;
    }
    seen.add(key);
    seen.add(comment.id);
    kept.push({
      id: comment.id,
      pullNumber: comment.pullNumber,
      path: comment.path,
      diffHunk: comment.diffHunk,
      side: comment.side,
      line,
      createdAt: comment.createdAt,
      text,
      target,
    });
  }
  return { kept, dropped };
}
