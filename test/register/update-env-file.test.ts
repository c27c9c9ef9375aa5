import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateEnvFile } from "../../src/register/update-env-file.js";

/**
 * `.env` receives TOKEN_ENCRYPTION_KEYS, PRIVATE_KEY, WEBHOOK_SECRET and GITHUB_CLIENT_SECRET: after
 * every write only its owner may read it, also when it existed before with a wider mode
 * (writeFileSync's `mode` applies only to a file it creates).
 */
let dir: string;
const savedEnv = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "update-env-file-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.env = { ...savedEnv };
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("updateEnvFile", () => {
  it("creates the file readable by its owner only", () => {
    const path = join(dir, ".env");
    updateEnvFile({ path, values: { WEBHOOK_SECRET: "s3cret-value" }, env: {} });
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe("WEBHOOK_SECRET=s3cret-value\n");
  });

  it("makes an existing 0644 file 0600 when it writes secrets into it, keeping its lines", () => {
    const path = join(dir, ".env");
    writeFileSync(path, "# settings\nPORT=3000\n", { mode: 0o644 });
    expect(modeOf(path)).toBe(0o644);
    updateEnvFile({
      path,
      values: { APP_ID: "12345", GITHUB_CLIENT_SECRET: "client-secret" },
      env: {},
    });
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe(
      "# settings\nPORT=3000\nAPP_ID=12345\nGITHUB_CLIENT_SECRET=client-secret\n",
    );
  });
});
