import type { Nodes, Parent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/** A mention GitHub turns into a notification: `@name` not preceded by a word character. */
const LIVE_MENTION = /(^|[^\w`])@[A-Za-z0-9]/;
/** References GitHub links and cross-references: `#1`, `owner/repo#1`, `GH-1`. */
const LIVE_REFERENCE = /#\d|\bGH-\d/i;

/**
 * Everything in `markdown` that GitHub would render as live markup, parsed as GitHub parses it
 * (CommonMark + GFM): links (Markdown, autolinks, bare URLs), images, raw HTML, link definitions,
 * mentions and issue references in text. `allowedMentions` are logins a reply may address.
 */
export function liveMarkup(markdown: string, allowedMentions: string[] = []): string[] {
  const tree = fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const found: string[] = [];
  const visit = (node: Nodes) => {
    if (
      ["link", "image", "linkReference", "imageReference", "definition", "html"].includes(node.type)
    ) {
      found.push(
        `${node.type}: ${markdown.slice(node.position?.start.offset, node.position?.end.offset)}`,
      );
    }
    if (node.type === "text") {
      let text = node.value;
      for (const login of allowedMentions) text = text.replaceAll(`@${login}`, "");
      if (LIVE_MENTION.test(text)) found.push(`mention: ${text}`);
      if (LIVE_REFERENCE.test(text)) found.push(`reference: ${text}`);
    }
    if ("children" in node) for (const child of (node as Parent).children) visit(child as Nodes);
  };
  visit(tree);
  return found;
}
