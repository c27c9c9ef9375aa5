import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * A value as one `.env` line, read back the same by Node's `process.loadEnvFile` and dotenv:
 * a multi-line value (a PEM key) in double quotes with `\n` for each newline (the only escape
 * both expand), anything else with spaces or `#` in single quotes.
 */
function formatValue(value: string): string {
  if (/\r?\n/.test(value)) return `"${value.replace(/\r?\n/g, "\\n")}"`;
  if (!/[\s"'#]/.test(value)) return value;
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/**
 * Sets `values` in the text of an env file and keeps everything else as it was: comments,
 * blank lines, order, other variables. A variable already there (`KEY=…`) is replaced on its
 * own line; a new one is appended.
 */
export function setEnvValues(text: string, values: Record<string, string>): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const pending = new Map(Object.entries(values));
  const updated = lines.map((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key) ?? "";
    pending.delete(key);
    return `${key}=${formatValue(value)}`;
  });
  for (const [key, value] of pending) updated.push(`${key}=${formatValue(value)}`);
  return `${updated.join("\n")}\n`;
}

/**
 * Writes `values` into the env file at `path` (created if missing, mode 0600: it holds the
 * app's private key), keeping its comments, and into `env` (the process's environment, which
 * the entry point passed in).
 */
export function updateEnvFile(params: {
  path: string;
  values: Record<string, string>;
  env: Record<string, string | undefined>;
}): void {
  const before = existsSync(params.path) ? readFileSync(params.path, "utf8") : "";
  writeFileSync(params.path, setEnvValues(before, params.values), { mode: 0o600 });
  Object.assign(params.env, params.values);
}
