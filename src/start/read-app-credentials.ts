import { getPrivateKey } from "@probot/get-private-key";

/** The GitHub App's id and private key, from Probot's variables (APP_ID, PRIVATE_KEY / PRIVATE_KEY_PATH). */
export function readAppCredentials(
  env: NodeJS.ProcessEnv = process.env,
): { appId: number; privateKey: string } | undefined {
  let privateKey: string | null = null;
  try {
    privateKey = getPrivateKey({ env });
  } catch {
    privateKey = null;
  }
  const appId = Number(env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0 || !privateKey) return undefined;
  return { appId, privateKey };
}
