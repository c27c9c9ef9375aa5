import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

/** The folder of prompt templates shipped with the app (`prompts/` at the repository root). */
export const defaultPromptsDir = new URL("../../prompts/", import.meta.url);

/** The prompt templates as loaded from `prompts/` (see `prompts/README.md`). */
export type PromptTemplates = {
  /** `system.md`: the persona system prompt; placeholders `{{reviewer}}`, `{{repo}}`. */
  system: string;
  /** `hunk.md`: the per-hunk user turn; placeholders `{{path}}`, `{{hunk}}`. */
  hunk: string;
  /**
   * `precedents.md`: the reviewer's earlier comments on the most similar code, after the hunk;
   * `{{reviewer}}`, `{{precedents}}` (src/prompts/append-precedents.ts).
   */
  precedents: string;
};

/**
 * Reads one template file (`<name>.md`) from the prompts folder, without its trailing newline.
 *
 * @throws Error naming the file when it cannot be read.
 */
export async function loadPromptTemplate(params: {
  name: string;
  dir?: URL | string;
}): Promise<string> {
  const dir = params.dir ?? defaultPromptsDir;
  const base = dir instanceof URL ? dir : pathToFileURL(dir.endsWith("/") ? dir : `${dir}/`);
  const file = new URL(`${params.name}.md`, base);
  try {
    return (await readFile(file, "utf8")).replace(/\n+$/, "");
  } catch (error) {
    throw new Error(
      `Cannot read prompt template ${file.pathname}: the prompts/ folder must ship with the app`,
      { cause: error },
    );
  }
}

/** Loads the templates both the history (training data) and review stages use. Call once at start. */
export async function loadPrompts(params: { dir?: URL | string } = {}): Promise<PromptTemplates> {
  const dir = params.dir ?? defaultPromptsDir;
  const [system, hunk, precedents] = await Promise.all([
    loadPromptTemplate({ name: "system", dir }),
    loadPromptTemplate({ name: "hunk", dir }),
    loadPromptTemplate({ name: "precedents", dir }),
  ]);
  return { system, hunk, precedents };
}
