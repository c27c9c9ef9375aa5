import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCaptured } from "../../src/shared/run-captured.js";

/**
 * Unit-length all-MiniLM-L6-v2 embeddings of `texts` from `python3 -m trainer embed` (the
 * scorer's model), in order.
 *
 * @throws Error with the child's stderr when it fails or returns another number of vectors.
 */
export async function embedTexts(texts: readonly string[]): Promise<number[][]> {
  const dir = await mkdtemp(join(tmpdir(), "tlb-embed-"));
  try {
    const input = join(dir, "texts.jsonl");
    await writeFile(input, texts.map((text) => `${JSON.stringify({ text })}\n`).join(""), {
      mode: 0o600,
    });
    const { code, stdout, stderrTail } = await runCaptured({
      program: "python3",
      args: ["-m", "trainer", "embed", "--texts", input],
      stderrTailChars: 2000,
      cannotStart: (error) => error,
    });
    if (code !== 0) {
      throw new Error(`python3 -m trainer embed failed (exit ${code}): ${stderrTail.trim()}`);
    }
    const vectors = stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as number[]);
    if (vectors.length !== texts.length) {
      throw new Error(
        `python3 -m trainer embed gave ${vectors.length} vectors for ${texts.length} texts`,
      );
    }
    return vectors;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Cosine of two unit vectors. */
export function dot(left: readonly number[], right: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
}
