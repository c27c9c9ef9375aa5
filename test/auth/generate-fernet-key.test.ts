import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parseFernetKey } from "../../src/auth/parse-fernet-key.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

it("npm run generate-key prints a fresh key that TOKEN_ENCRYPTION_KEYS accepts", () => {
  const run = () =>
    execFileSync(resolve(repoRoot, "node_modules/.bin/tsx"), ["scripts/generate-fernet-key.ts"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
  const first = run();
  expect(first).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  expect(() => parseFernetKey(first)).not.toThrow();
  expect(run()).not.toBe(first);
});
