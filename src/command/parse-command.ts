import type { CommandRequest } from "../../jobs/command-job.js";
import { githubLoginSchema } from "../../jobs/github-names.js";
import { quoteInert } from "../github/quote-inert.js";
import { readParagraphLines } from "./read-paragraph-lines.js";

const FORCE_RELOAD_FLAG = "--force-reload";

/** The usage line every malformed-command reply carries. */
export function usageText(botHandle: string): string {
  return [
    `Usage: \`@${botHandle} <login> [${FORCE_RELOAD_FLAG}]\` on a pull request, at the start of a line.`,
    "",
    `- \`<login>\`: the GitHub user whose reviewing style to use (with or without \`@\`).`,
    `- \`${FORCE_RELOAD_FLAG}\`: collect their review history again and retrain before reviewing.`,
    "",
    `\`@${botHandle} forget <login>\` deletes that reviewer's adapters and collected history in this repository (the reviewer themself or a repository admin).`,
  ].join("\n");
}

/**
 * Finds the first command addressed to the bot in a comment.
 *
 * A command is a line of paragraph text (as GitHub renders the comment) that starts with
 * `@<botHandle>` (case-insensitive), followed by one login and optional flags. Mentions in code
 * (spans, fenced or indented blocks), HTML comments and blocks, quotes and links are not
 * commands, and neither is a mention in the middle of a sentence ("thanks @tech-lead-bot!").
 *
 * @returns `undefined` when the comment holds no command; a `usage` request (with what was
 * wrong) when it holds a malformed one.
 */
export function parseCommand(params: {
  body: string;
  botHandle: string;
}): CommandRequest | undefined {
  const mention = `@${params.botHandle.toLowerCase()}`;
  for (const line of readParagraphLines(params.body)) {
    const [first, ...args] = line.trim().split(/\s+/);
    if (first?.toLowerCase() !== mention) continue;
    return parseArguments(args);
  }
  return undefined;
}

function parseArguments(args: string[]): CommandRequest {
  const flags = args.filter((arg) => arg.startsWith("--"));
  const words = args.filter((arg) => !arg.startsWith("--"));
  // `forget <login>` needs both words: a lone `forget` is a review of the user named forget.
  if (words.length === 2 && words[0]?.toLowerCase() === "forget") {
    if (flags.length > 0) return usage("`forget` takes one login and no options");
    return parseForget(words[1] ?? "");
  }
  const unknownFlag = flags.find((flag) => flag.toLowerCase() !== FORCE_RELOAD_FLAG);
  if (unknownFlag) return usage(`unknown option ${quoteInert(unknownFlag)}`);
  if (words.length === 0) return usage("no reviewer login given");
  if (words.length > 1)
    return usage(
      `expected one login, got ${words.length}: ${words
        .slice(0, 3)
        .map((word) => quoteInert(word, 24))
        .join(" ")}${words.length > 3 ? " …" : ""}`,
    );
  const login = (words[0] ?? "").replace(/^@/, "");
  if (!githubLoginSchema.safeParse(login).success) {
    return usage(
      `${quoteInert(login)} is not a GitHub login (1–39 letters, digits or single hyphens)`,
    );
  }
  return { kind: "review", reviewerLogin: login, forceReload: flags.length > 0 };
}

function parseForget(word: string): CommandRequest {
  const login = word.replace(/^@/, "");
  if (!githubLoginSchema.safeParse(login).success) {
    return usage(
      `${quoteInert(login)} is not a GitHub login (1–39 letters, digits or single hyphens)`,
    );
  }
  return { kind: "forget", reviewerLogin: login };
}

/** Quoted words are cut (40 characters, 24 in a list of three): a problem stays under 300. */
function usage(problem: string): CommandRequest {
  return { kind: "usage", problem };
}
