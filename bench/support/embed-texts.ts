import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn("python3", ["-m", "trainer", "embed", "--texts", input], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        err = (err + chunk).slice(-2000);
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0
          ? resolve(out)
          : reject(new Error(`python3 -m trainer embed failed (exit ${code}): ${err.trim()}`)),
      );
    });
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
