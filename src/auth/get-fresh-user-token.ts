import type { Redis } from "ioredis";
import { RedisKeys } from "../store/redis-keys.js";
import { withRedisLock } from "../store/with-redis-lock.js";
import type { OAuthClient } from "./create-oauth-client.js";
import { OAuthGrantRejectedError } from "./oauth-errors.js";
import type { StoredUserToken, TokenVault } from "./token-vault.js";

/** Refresh a little before expiry so a token does not die in the middle of a scrape. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type FreshUserToken =
  | { status: "ready"; token: StoredUserToken }
  | {
      status: "needs-authorisation";
      reason: "never-signed-in" | "refresh-expired" | "refresh-refused";
    };

export interface UserTokenDeps {
  redis: Redis;
  keyPrefix: string;
  vault: TokenVault;
  oauthClient: OAuthClient;
  now?: () => Date;
  refreshMarginMs?: number;
  /** Longer than one refresh request can take, so two holders never refresh the same pair. */
  lockTtlMs?: number;
  lockWaitMs?: number;
}

/**
 * The user's stored token, refreshed first when it is about to expire. Refresh tokens are
 * single-use, so refreshing happens under a per-user Redis lock and re-reads the pair once the
 * lock is held: of N concurrent callers, one asks GitHub and the rest use the pair it stored.
 * A refused or expired refresh token deletes the pair: the user must sign in again.
 */
export async function getFreshUserToken(
  deps: UserTokenDeps & { userId: number },
): Promise<FreshUserToken> {
  const { vault, userId } = deps;
  const now = deps.now ?? (() => new Date());
  const marginMs = deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;

  const stored = await vault.load(userId);
  if (stored === undefined) return { status: "needs-authorisation", reason: "never-signed-in" };
  if (!needsRefresh(stored, now(), marginMs)) return { status: "ready", token: stored };

  return withRedisLock({
    redis: deps.redis,
    lockKey: new RedisKeys(deps.keyPrefix).tokenRefreshLock(userId),
    lockTtlMs: deps.lockTtlMs ?? 30_000,
    waitMs: deps.lockWaitMs ?? 35_000,
    work: async (): Promise<FreshUserToken> => {
      const current = await vault.load(userId);
      if (current === undefined)
        return { status: "needs-authorisation", reason: "refresh-refused" };
      if (!needsRefresh(current, now(), marginMs)) return { status: "ready", token: current };
      if (current.refreshToken === null || isPast(current.refreshTokenExpiresAt, now())) {
        await vault.delete(userId);
        return { status: "needs-authorisation", reason: "refresh-expired" };
      }
      try {
        const grant = await deps.oauthClient.refresh(current.refreshToken);
        const refreshed: StoredUserToken = { ...current, ...grant };
        await vault.save(refreshed);
        return { status: "ready", token: refreshed };
      } catch (error) {
        if (error instanceof OAuthGrantRejectedError) {
          await vault.delete(userId);
          return { status: "needs-authorisation", reason: "refresh-refused" };
        }
        throw error;
      }
    },
  });
}

function needsRefresh(token: StoredUserToken, now: Date, marginMs: number): boolean {
  if (token.accessTokenExpiresAt === null) return false;
  return Date.parse(token.accessTokenExpiresAt) - marginMs <= now.getTime();
}

function isPast(isoTime: string | null, now: Date): boolean {
  return isoTime !== null && Date.parse(isoTime) <= now.getTime();
}
