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

/**
 * Reads several templates (`<name>.md`) at once, keyed by name.
 *
 * @throws Error naming every template that cannot be read, in the order of `names` (the reads
 * run in parallel, so the first to fail is not always the same file).
 */
export async function loadPromptTemplates<Name extends string>(params: {
  names: readonly Name[];
  dir?: URL | string | undefined;
}): Promise<Record<Name, string>> {
  const dir = params.dir ?? defaultPromptsDir;
  const results = await Promise.allSettled(
    params.names.map((name) => loadPromptTemplate({ name, dir })),
  );
  const failures = results.flatMap((result) =>
    result.status === "rejected" ? [result.reason as Error] : [],
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new Error(failures.map((failure) => failure.message).join("; "), { cause: failures[0] });
  }
  const templates = {} as Record<Name, string>;
  params.names.forEach((name, i) => {
    templates[name] = (results[i] as PromiseFulfilledResult<string>).value;
  });
  return templates;
}

/** Loads the templates both the history (training data) and review stages use. Call once at start. */
export async function loadPrompts(params: { dir?: URL | string } = {}): Promise<PromptTemplates> {
  return loadPromptTemplates({ names: ["system", "hunk", "precedents"], dir: params.dir });
}
