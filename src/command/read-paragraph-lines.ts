import type { Nodes, Parent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * The lines of a GitHub comment that a reader sees as plain paragraph text, parsed as GitHub
 * parses it (CommonMark + GFM, via micromark). Everything else is left out: indented and fenced
 * code, HTML (comments and blocks), quotes, headings, table cells, and code spans and raw HTML
 * inside a paragraph (each becomes a space), and struck-through text (a retracted command). A
 * link counts as its text, which is what a reader sees.
 */
export function readParagraphLines(markdown: string): string[] {
  const tree = fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const lines: string[] = [];
  const visit = (node: Nodes) => {
    if (node.type === "paragraph") {
      lines.push(...paragraphText(node).split("\n"));
      return;
    }
    if (node.type === "blockquote" || node.type === "heading" || node.type === "table") return;
    if ("children" in node) for (const child of (node as Parent).children) visit(child as Nodes);
  };
  visit(tree);
  return lines;
}

function paragraphText(node: Parent): string {
  return node.children
    .map((child) => {
      if (child.type === "text") return child.value;
      if (child.type === "break") return "\n";
      if (
        child.type === "emphasis" ||
        child.type === "strong" ||
        child.type === "link" ||
        child.type === "linkReference"
      )
        return paragraphText(child);
      return " ";
    })
    .join("");
}
