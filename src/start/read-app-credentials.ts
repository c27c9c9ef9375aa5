import { getPrivateKey } from "@probot/get-private-key";

/**
 * PRIVATE_KEY without the quotes `docker run --env-file` and compose v1's `env_file` keep: they
 * read `PRIVATE_KEY="-----BEGIN…\n…"` (as written into .env) literally, quotes included.
 */
export function unquotePrivateKey(value: string | undefined): string | undefined {
  const quoted = value?.match(/^\s*(["'])([\s\S]*)\1\s*$/);
  return quoted ? quoted[2] : value;
}

/** The GitHub App's id and private key, from Probot's variables (APP_ID, PRIVATE_KEY / PRIVATE_KEY_PATH). */
export function readAppCredentials(
  env: NodeJS.ProcessEnv = process.env,
): { appId: number; privateKey: string } | undefined {
  let privateKey: string | null = null;
  try {
    privateKey = getPrivateKey({
      env: { ...env, PRIVATE_KEY: unquotePrivateKey(env.PRIVATE_KEY) },
    });
  } catch {
    privateKey = null;
  }
  const appId = Number(env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0 || !privateKey) return undefined;
  return { appId, privateKey };
}
