import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The official Fernet vectors live in `shared/` beside the clone (`<repo root>/../shared`).
 * A git worktree sits one level deeper, so SHARED_DIR may point there instead.
 */
export function readFernetVectors(name: "generate" | "verify" | "invalid"): unknown {
  const sharedDir = process.env.SHARED_DIR ?? resolve(repoRoot, "../shared");
  const path = resolve(sharedDir, "fixtures/fernet", `${name}.json`);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(
      `Cannot read the official Fernet vectors at ${path}: put shared/ beside the clone or set SHARED_DIR`,
      { cause: error },
    );
  }
}
