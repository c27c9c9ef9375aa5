/**
 * Removes the parts of a Markdown comment where a mention is not a command: fenced code
 * blocks, `>` quotes (someone quoting an earlier command) and inline code spans. Lines are
 * kept (blanked) so nothing else shifts.
 */
export function stripNonCommandText(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let openFence: string | undefined;
  return lines
    .map((line) => {
      const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (openFence) {
        if (fence && fence[0] === openFence[0] && fence.length >= openFence.length)
          openFence = undefined;
        return "";
      }
      if (fence) {
        openFence = fence;
        return "";
      }
      if (/^ {0,3}>/.test(line)) return "";
      return line.replace(/(`+)[\s\S]*?\1/g, " ");
    })
    .join("\n");
}
