/**
 * The references in Markdown GitHub would turn into a cross-reference on another issue or PR,
 * by the rule of "Autolinked references and URLs" (docs.github.com): issue/PR URLs on the
 * GitHub host (bare or as a link target), `#N`, `GH-N` and `owner/repo#N` outside code spans;
 * `redirect.github.com` URLs are not. Used to check what the bot posts links nothing back.
 */
export function findCrossReferences(markdown: string, webHost = "github.com"): string[] {
  const outsideCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const host = webHost.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = [
    new RegExp(`https?://(?:www\\.)?${host}/[\\w.-]+/[\\w.-]+/(?:pull|issues)/\\d+`, "g"),
    /(?<![\w/&])#\d+\b/g,
    /\bGH-\d+\b/g,
    /\b[\w.-]+\/[\w.-]+#\d+\b/g,
  ];
  return patterns.flatMap((pattern) => outsideCode.match(pattern) ?? []);
}
