import { createPrivateKey } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";
import { ConfigError } from "../config/config-error.js";

/**
 * The variables that say a GitHub App is registered: with none set, `npm start` serves the
 * registration page; with some set, every one the bot needs to run must be usable.
 */
const APP_VARIABLES = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "GITHUB_CLIENT_ID",
  "GITHUB_CLIENT_SECRET",
] as const;

/**
 * PRIVATE_KEY without the quotes `docker run --env-file` and compose v1's `env_file` keep: they
 * read `PRIVATE_KEY="-----BEGIN…\n…"` (as written into .env) literally, quotes included.
 */
export function unquotePrivateKey(value: string | undefined): string | undefined {
  const quoted = value?.match(/^\s*(["'])([\s\S]*)\1\s*$/);
  return quoted ? quoted[2] : value;
}

/**
 * The GitHub App's id and private key, from Probot's variables (APP_ID, PRIVATE_KEY /
 * PRIVATE_KEY_PATH). `undefined` only when none of the app's variables is set (registration
 * mode); when some are, a missing or unusable id or key throws a ConfigError naming the
 * variable and the fix (never quoting the key), instead of quietly falling back to registration.
 */
export function readAppCredentials(
  env: NodeJS.ProcessEnv = process.env,
): { appId: number; privateKey: string } | undefined {
  const isSet = (name: string) => (env[name] ?? "").trim() !== "";
  const set = APP_VARIABLES.filter(isSet);
  if (set.length === 0) return undefined;

  const problems: string[] = [];
  const appId = Number(env.APP_ID);
  if (!isSet("APP_ID")) {
    problems.push("APP_ID is not set: the GitHub App's id, from its settings page (“App ID”).");
  } else if (!Number.isInteger(appId) || appId <= 0) {
    problems.push("APP_ID must be the GitHub App's numeric id, e.g. APP_ID=123456.");
  }
  const privateKey = readPrivateKey(env, problems);
  if (problems.length > 0) {
    throw new ConfigError(
      [
        `The GitHub App's credentials are only partly set (set: ${set.join(", ")}):`,
        ...problems.map((problem) => `  - ${problem}`),
        "Fix them in .env (or the environment), or empty all of APP_ID, PRIVATE_KEY, PRIVATE_KEY_PATH, WEBHOOK_SECRET, GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET to register a new app.",
      ].join("\n"),
    );
  }
  return { appId, privateKey: privateKey ?? "" };
}

/** The PEM key, or undefined with the problem (naming PRIVATE_KEY or PRIVATE_KEY_PATH) added. */
function readPrivateKey(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const source = (env.PRIVATE_KEY ?? "").trim() !== "" ? "PRIVATE_KEY" : "PRIVATE_KEY_PATH";
  let privateKey: string | null;
  try {
    privateKey = getPrivateKey({
      env: {
        PRIVATE_KEY: unquotePrivateKey(env.PRIVATE_KEY),
        PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH,
      },
    });
  } catch (error) {
    problems.push(
      source === "PRIVATE_KEY"
        ? "PRIVATE_KEY does not hold a PEM private key: paste the whole .pem file GitHub gave you (-----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY-----), or set PRIVATE_KEY_PATH to the file instead."
        : `PRIVATE_KEY_PATH=${env.PRIVATE_KEY_PATH} cannot be read (${describeFileError(error)}): point it at the .pem file GitHub gave you.`,
    );
    return undefined;
  }
  if (privateKey === null) {
    problems.push(
      "Neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set: set PRIVATE_KEY_PATH to the .pem file from the app's settings page (“Generate a private key”).",
    );
    return undefined;
  }
  try {
    createPrivateKey(privateKey);
  } catch {
    // No cause: the parser's message is about the key's content.
    problems.push(
      `${source === "PRIVATE_KEY" ? "PRIVATE_KEY" : `The file at PRIVATE_KEY_PATH=${env.PRIVATE_KEY_PATH}`} is not a readable PEM private key (damaged or cut short): use the .pem file GitHub gave you, or generate a new one on the app's settings page.`,
    );
    return undefined;
  }
  return privateKey;
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  if (code === "ENOENT" || /does not exists/.test(String(error))) return "no such file";
  return code ?? "unreadable";
}
