import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { resolveGitHubUrls } from "../config/resolve-github-urls.js";
import type { AuthConfig } from "./auth-config.js";
import { createFernetKeyring } from "./create-fernet-keyring.js";
import { createOAuthClient } from "./create-oauth-client.js";
import { createOAuthHandler, type HttpHandler } from "./create-oauth-handler.js";
import { startDashboardSignIn } from "./dashboard-sign-in.js";
import {
  ensureRequesterToken,
  handleRejectedUserToken,
  type RequesterToken,
} from "./ensure-requester-token.js";
import { type FreshUserToken, getFreshUserToken } from "./get-fresh-user-token.js";
import { createOAuthStateStore } from "./oauth-state-store.js";
import type { PendingRun } from "./pending-run.js";
import type { OAuthRedirect } from "./render-oauth-page.js";
import { createSessionCookies, type SessionCookies } from "./session-cookie.js";
import { createTokenVault } from "./token-vault.js";

export interface CreateAuthStageParams {
  config: AuthConfig;
  redis: Redis;
  /** Namespace for every key this stage writes, e.g. "tlb:". */
  keyPrefix: string;
  gheHost?: string | undefined;
  gheProtocol?: string | undefined;
}

export interface AuthStage {
  /** The requester's token, or a sign-in link bound to `pendingRun` (see {@link ensureRequesterToken}). */
  ensureRequesterToken(pendingRun: PendingRun): Promise<RequesterToken>;
  /** After GitHub answered 401 to `rejectedAccessToken`: a replacement token or a new sign-in link. */
  handleRejectedUserToken(params: {
    pendingRun: PendingRun;
    rejectedAccessToken: string;
  }): Promise<RequesterToken>;
  /** The /oauth/ routes for Probot's `addHandler`; `onAuthorised` resumes the parked run. */
  createHttpHandler(params: {
    log: Logger;
    onAuthorised: (pendingRun: PendingRun) => Promise<void>;
  }): HttpHandler;
  /** The GitHub REST base URL (github.com or GHE) that user tokens are used against. */
  apiUrl: string;
  /** The matching web URL, for links to GitHub pages. */
  webUrl: string;
  /** The dashboard's session cookies. */
  sessions: SessionCookies;
  /**
   * Sends a browser to GitHub to sign in to the dashboard; it comes back to `returnTo`.
   * `cookieHeader`: the request's, so a browser keeps the binding nonce it holds.
   */
  startSignIn(returnTo: string, cookieHeader?: string): Promise<OAuthRedirect>;
  /** A signed-in person's token from the vault, refreshed when due. */
  freshUserToken(userId: number): Promise<FreshUserToken>;
}

/** Wires the auth stage from its parsed config: the one call the server and the worker make. */
export function createAuthStage({
  config,
  redis,
  keyPrefix,
  gheHost,
  gheProtocol,
}: CreateAuthStageParams): AuthStage {
  const vault = createTokenVault({
    redis,
    keyPrefix,
    keyring: createFernetKeyring(config.TOKEN_ENCRYPTION_KEYS),
  });
  const stateStore = createOAuthStateStore({
    redis,
    keyPrefix,
    ttlSeconds: config.OAUTH_STATE_TTL_SECONDS,
  });
  const oauthClient = createOAuthClient({
    clientId: config.GITHUB_CLIENT_ID,
    clientSecret: config.GITHUB_CLIENT_SECRET,
    gheHost,
    gheProtocol,
  });
  const common = { redis, keyPrefix, vault, oauthClient, stateStore, publicUrl: config.PUBLIC_URL };
  const sessions = createSessionCookies({
    keys: config.TOKEN_ENCRYPTION_KEYS,
    publicUrl: config.PUBLIC_URL,
  });

  return {
    ensureRequesterToken: (pendingRun) => ensureRequesterToken({ ...common, pendingRun }),
    handleRejectedUserToken: ({ pendingRun, rejectedAccessToken }) =>
      handleRejectedUserToken({ ...common, pendingRun, rejectedAccessToken }),
    createHttpHandler: ({ log, onAuthorised }) =>
      createOAuthHandler({
        oauthClient,
        stateStore,
        vault,
        log,
        onAuthorised,
        publicUrl: config.PUBLIC_URL,
        stateTtlSeconds: config.OAUTH_STATE_TTL_SECONDS,
        githubWebUrl: resolveGitHubUrls({ gheHost, gheProtocol }).webUrl,
        sessions,
      }),
    ...resolveGitHubUrls({ gheHost, gheProtocol }),
    sessions,
    startSignIn: (returnTo, cookieHeader) =>
      startDashboardSignIn({
        stateStore,
        oauthClient,
        publicUrl: config.PUBLIC_URL,
        returnTo,
        stateTtlSeconds: config.OAUTH_STATE_TTL_SECONDS,
        cookieHeader,
      }),
    freshUserToken: (userId) => getFreshUserToken({ ...common, userId }),
  };
}
