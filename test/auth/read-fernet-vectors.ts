import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const vectorsDir = resolve(import.meta.dirname, "../fixtures/fernet");

/** The official Fernet vectors, vendored in test/fixtures/fernet/ (source and licence there). */
export function readFernetVectors(name: "generate" | "verify" | "invalid"): unknown {
  return JSON.parse(readFileSync(resolve(vectorsDir, `${name}.json`), "utf8"));
}
