import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { type Logger, pino } from "pino";
import { Probot, Server } from "probot";
import { createFernetKeyring, parseFernetKeyList } from "../../src/auth/create-fernet-keyring.js";
import { createOAuthClient } from "../../src/auth/create-oauth-client.js";
import { createOAuthHandler, type HttpHandler } from "../../src/auth/create-oauth-handler.js";
import { ensureRequesterToken } from "../../src/auth/ensure-requester-token.js";
import type { UserTokenDeps } from "../../src/auth/get-fresh-user-token.js";
import { createOAuthStateStore } from "../../src/auth/oauth-state-store.js";
import { generateFernetKeyText } from "../../src/auth/parse-fernet-key.js";
import type { PendingRun } from "../../src/auth/pending-run.js";
import { createTokenVault } from "../../src/auth/token-vault.js";
import { requestLogRedaction } from "../../src/observe/redact-request-log.js";
import { cookiesOf } from "../../support/cookies.js";
import { connectTestRedis, deleteKeys } from "../../support/redis.js";
import { type StandInGitHub, startStandInGitHub } from "./stand-in-github.js";

export const STATE_TTL_SECONDS = 600;

export const alice = { id: 1001, login: "Alice" };
export const mallory = { id: 2002, login: "mallory" };

export function pendingRunFor(requester: { id: number; login: string }): PendingRun {
  return {
    installationId: 42,
    owner: "octo-org",
    repo: "widgets",
    pullNumber: 7,
    runId: `persona-${randomUUID()}`,
    requesterLogin: requester.login,
    requesterId: requester.id,
  };
}

/**
 * Everything the auth stage runs against in a test: the real Redis under a fresh key prefix, a
 * stand-in GitHub over HTTP (as GHE), the /oauth routes mounted on Probot's own server through
 * `addHandler`, a pino logger whose lines are kept, and a clock tests can move.
 */
export async function startAuthKit() {
  const redis = await connectTestRedis();
  const keyPrefix = `test-auth-${randomUUID()}:`;
  const logLines: string[] = [];
  // The redaction src/start/server.ts wires too: no code, state, token or cookie in access logs.
  const log: Logger = pino(
    { level: "trace", redact: requestLogRedaction },
    { write: (line: string) => logLines.push(line) },
  );
  const keyText = generateFernetKeyText();
  const keyring = createFernetKeyring(parseFernetKeyList(keyText));
  const clock = { now: new Date() };
  const now = () => clock.now;
  const github: StandInGitHub = await startStandInGitHub({ now });
  const vault = createTokenVault({ redis, keyring, keyPrefix });
  const stateStore = createOAuthStateStore({
    redis,
    keyPrefix,
    ttlSeconds: STATE_TTL_SECONDS,
    now,
  });
  const oauthClient = createOAuthClient({
    clientId: github.clientId,
    clientSecret: github.clientSecret,
    gheHost: github.host,
    gheProtocol: "http",
  });
  const resumed: PendingRun[] = [];

  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const server = new Server({
    Probot: Probot.defaults({ appId: 1, privateKey, secret: "test-secret", log }),
    log,
    host: "127.0.0.1",
    port: await findFreePort(),
  });
  let oauthHandler: HttpHandler | undefined;
  await server.load((_app, { addHandler }) => {
    addHandler((req, res) => oauthHandler?.(req, res) ?? false);
  });
  await server.start();
  const publicUrl = `http://127.0.0.1:${server.port}`;
  oauthHandler = createOAuthHandler({
    oauthClient,
    stateStore,
    vault,
    log,
    publicUrl,
    stateTtlSeconds: STATE_TTL_SECONDS,
    githubWebUrl: github.webUrl,
    onAuthorised: async (pendingRun) => {
      resumed.push(pendingRun);
    },
  });

  const userTokenDeps: UserTokenDeps = { redis, keyPrefix, vault, oauthClient, now };

  return {
    redis,
    keyPrefix,
    github,
    log,
    logLines,
    keyText,
    keyring,
    clock,
    vault,
    stateStore,
    oauthClient,
    resumed,
    publicUrl,
    userTokenDeps,
    /** Asks for the requester's token with none stored: the stage answers with a sign-in link. */
    askForSignIn: async (requester: { id: number; login: string } = alice) => {
      const pendingRun = pendingRunFor(requester);
      const outcome = await ensureRequesterToken({
        ...userTokenDeps,
        stateStore,
        pendingRun,
        publicUrl,
      });
      if (outcome.status !== "needs-authorisation") throw new Error("expected a sign-in link");
      return { pendingRun, signInUrl: outcome.signInUrl };
    },
    /** GET (no redirects followed) a path on the bot. */
    get: (pathAndQuery: string) => fetch(`${publicUrl}${pathAndQuery}`, { redirect: "manual" }),
    /**
     * Plays the browser: open the sign-in link, follow it to GitHub's authorise URL, "Authorize"
     * as `user`, and land on the callback. Returns the callback's response.
     */
    signInThroughLink: async (signInUrl: string, user: { id: number; login: string }) => {
      const toGitHub = await fetch(signInUrl, { redirect: "manual" });
      // The browser keeps what the bot sets on the way to GitHub and sends it back on return.
      const cookie = cookiesOf(toGitHub);
      const authorizeUrl = new URL(toGitHub.headers.get("location") ?? "");
      const state = authorizeUrl.searchParams.get("state") ?? "";
      const redirectUri = authorizeUrl.searchParams.get("redirect_uri") ?? "";
      const code = github.authorize(user);
      const callbackUrl = `${redirectUri}?${new URLSearchParams({ code, state })}`;
      return {
        response: await fetch(callbackUrl, {
          redirect: "manual",
          ...(cookie ? { headers: { cookie } } : {}),
        }),
        callbackUrl,
        authorizeUrl,
        cookie,
      };
    },
    close: async () => {
      await server.stop();
      await github.close();
      await deleteKeys(redis, `${keyPrefix}*`);
      redis.disconnect();
    },
  };
}

export type AuthKit = Awaited<ReturnType<typeof startAuthKit>>;

/** Probot's Server turns port 0 into 3000, which parallel test runs would share. */
async function findFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port to test on");
  return address.port;
}
