import type { Nodes, Parent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { neutraliseMentions } from "./neutralise-mentions.js";
import { codeSpan } from "./quote-inert.js";

/** A piece of inert one-line Markdown: escaped text, or the content of one code span. */
export type InertSegment = { kind: "text"; markdown: string } | { kind: "code"; content: string };

/** What a removed link's address is replaced with, so the sentence still reads. */
export const LINK_REMOVED = "(link removed)";

const BARE_URL = /\b(?:(?:https?|ftp):\/\/|www\.)\S+/gi;

/**
 * Turns Markdown someone else wrote (a model's comment) into pieces of one-line Markdown that
 * GitHub renders as plain words and code: links keep their text and lose their address (a bare
 * URL, autolink or link whose text is an address becomes "(link removed)"), images, raw HTML and
 * link definitions go, and in text every `@mention`, `#1`, `owner/repo#1` and `GH-1` is broken with
 * a zero-width joiner so nobody is notified and no issue gets a cross-reference. Parsed as GitHub
 * parses it (CommonMark + GFM, micromark), so no spelling of a link slips through.
 */
export function renderInertMarkdown(markdown: string): InertSegment[] {
  const tree = fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const segments: InertSegment[] = [];
  const text = (value: string) => segments.push({ kind: "text", markdown: inertText(value) });
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case "text":
        return void text(node.value);
      case "inlineCode":
        return void segments.push({ kind: "code", content: node.value });
      case "code":
        return void text(` ${node.value} `);
      case "link":
      case "linkReference": {
        const words = plainText(node);
        const isAddress =
          ("url" in node && (words === node.url || `mailto:${words}` === node.url)) ||
          /^(?:(?:https?|ftp|mailto):|www\.)/i.test(words.trim());
        if (isAddress) return void text(LINK_REMOVED);
        for (const child of node.children) visit(child as Nodes);
        return;
      }
      case "image":
      case "imageReference":
      case "definition":
      case "footnoteDefinition":
      case "footnoteReference":
      case "html":
        return;
      default:
        if (!("children" in node)) return void text(" ");
        text(" ");
        for (const child of (node as Parent).children) visit(child as Nodes);
        text(" ");
    }
  };
  visit(tree);
  return segments;
}

/** The words of a node as a reader sees them, without markup. */
function plainText(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value;
  if (node.type === "image" || node.type === "html") return "";
  return "children" in node
    ? (node as Parent).children.map((child) => plainText(child as Nodes)).join("")
    : "";
}

/** Text as Markdown that renders the same words and nothing live. */
function inertText(value: string): string {
  const escaped = value
    .replace(BARE_URL, LINK_REMOVED)
    .replace(/[\\`[\]&<>]/g, (character) => ESCAPES[character] ?? character)
    .replace(/#(?=\d)/g, "#\u200d")
    .replace(/\bGH-(?=\d)/gi, (match) => `${match}\u200d`);
  return neutraliseMentions(escaped);
}

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "`": "\\`",
  "[": "\\[",
  "]": "\\]",
  "&": "&amp;",
  // Angle brackets as look-alikes: escaped ones would still read as markup to a person.
  "<": "‹",
  ">": "›",
};

/** Joins segments into one line of at most `limit` characters, cutting text, never a code span. */
export function joinInertSegments(segments: readonly InertSegment[], limit: number): string {
  const pieces = segments
    .map((segment) =>
      segment.kind === "text"
        ? { ...segment, markdown: segment.markdown.replace(/\s+/g, " ") }
        : { ...segment, content: segment.content.replace(/\s+/g, " ").trim() },
    )
    .filter((segment) => segment.kind === "text" || segment.content !== "");
  const whole = pieces.map(render).join("").replace(/\s+/g, " ").trim();
  if (whole.length <= limit) return whole;
  let out = "";
  for (const piece of pieces) {
    const rendered = render(piece);
    const room = limit - 1 - out.length;
    if (rendered.length <= room) {
      out += rendered;
      continue;
    }
    if (piece.kind === "text") {
      const cut = piece.markdown.slice(0, room);
      const lastSpace = cut.lastIndexOf(" ");
      out += lastSpace > room / 2 ? cut.slice(0, lastSpace) : cut;
    }
    break;
  }
  return `${out.replace(/\s+/g, " ").trim()}…`;
}

function render(segment: InertSegment): string {
  return segment.kind === "text" ? segment.markdown : codeSpan(segment.content);
}
