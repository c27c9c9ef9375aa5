import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { RedisKeys } from "../store/redis-keys.js";
import { pendingRunSchema } from "./pending-run.js";

const STATE_BYTES = 32;
const STATE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Records outlive their expiry by this much so a late click hears "expired", not "unknown". */
const GRACE_MS = 24 * 60 * 60 * 1000;

const stateRecordSchema = z.discriminatedUnion("purpose", [
  z.object({
    purpose: z.literal("authorise"),
    pendingRun: pendingRunSchema,
    /** Set when a browser opens the sign-in link (the link itself is posted in the pull request). */
    browserBinding: z.string().optional(),
    expiresAtMs: z.number(),
  }),
  z.object({
    purpose: z.literal("revoke"),
    /** Optional only for states made before binding existed: the callback refuses those. */
    browserBinding: z.string().optional(),
    expiresAtMs: z.number(),
  }),
  z.object({
    purpose: z.literal("sign-in"),
    /** The dashboard path to go back to. */
    returnTo: z.string(),
    /** SHA-256 of the nonce cookie of the browser that started the sign-in. */
    browserBinding: z.string(),
    expiresAtMs: z.number(),
  }),
]);
export type OAuthStateRecord = z.infer<typeof stateRecordSchema>;
/** The state record of one purpose ("authorise", "revoke" or "sign-in"). */
export type OAuthStateRecordFor<Purpose extends OAuthStateRecord["purpose"]> = Extract<
  OAuthStateRecord,
  { purpose: Purpose }
>;
type NewStateRecord = OAuthStateRecord extends infer R
  ? R extends OAuthStateRecord
    ? Omit<R, "expiresAtMs">
    : never
  : never;

export type StateLookup =
  | { status: "valid"; record: OAuthStateRecord }
  | { status: "expired" | "used" | "unknown" };

/** Atomically takes the state and leaves a tombstone, so a replay (or a race) is told "used". */
const CONSUME = `
local value = redis.call("GET", KEYS[1])
if value then
  redis.call("DEL", KEYS[1])
  redis.call("SET", KEYS[2], "1", "PX", ARGV[1])
  return value
end
return false`;

export interface OAuthStateStore {
  create(record: NewStateRecord): Promise<string>;
  /** Looks without consuming: the login route checks the link before sending people to GitHub. */
  peek(state: string): Promise<StateLookup>;
  /** Single use: only the first caller gets "valid". */
  consume(state: string): Promise<StateLookup>;
  /**
   * Binds a run's sign-in state to the browser that opened its link (the latest one to open it);
   * states of other purposes are bound when they are made and are answered "unknown" here.
   */
  bindBrowser(state: string, browserBinding: string): Promise<StateLookup>;
  /** Puts a consumed state back (the wrong person opened the link; the requester still can). */
  restore(state: string, record: OAuthStateRecord): Promise<void>;
}

export interface CreateOAuthStateStoreParams {
  redis: Redis;
  keyPrefix: string;
  ttlSeconds: number;
  now?: () => Date;
}

/**
 * OAuth `state` values: 32 random bytes, bound to what they were made for, single use, expiring
 * after `ttlSeconds`. Redis holds only a hash of the state, never the value in the link.
 */
export function createOAuthStateStore({
  redis,
  keyPrefix,
  ttlSeconds,
  now = () => new Date(),
}: CreateOAuthStateStoreParams): OAuthStateStore {
  const keysFor = (state: string) => {
    const digest = createHash("sha256").update(state).digest("hex");
    return {
      stateKey: new RedisKeys(keyPrefix).oauthState(digest).state,
      usedKey: new RedisKeys(keyPrefix).oauthState(digest).used,
    };
  };
  const retentionMs = ttlSeconds * 1000 + GRACE_MS;

  const interpret = (raw: string | null, usedFlag: boolean): StateLookup => {
    if (raw === null) {
      return { status: usedFlag ? "used" : "unknown" };
    }
    const record = stateRecordSchema.parse(JSON.parse(raw));
    if (record.expiresAtMs <= now().getTime()) {
      return { status: "expired" };
    }
    return { status: "valid", record };
  };

  return {
    create: async (record) => {
      const state = randomBytes(STATE_BYTES).toString("base64url");
      const full = stateRecordSchema.parse({
        ...record,
        expiresAtMs: now().getTime() + ttlSeconds * 1000,
      });
      await redis.set(keysFor(state).stateKey, JSON.stringify(full), "PX", retentionMs);
      return state;
    },
    peek: async (state) => {
      if (!STATE_PATTERN.test(state)) return { status: "unknown" };
      const { stateKey, usedKey } = keysFor(state);
      const [raw, used] = await Promise.all([redis.get(stateKey), redis.exists(usedKey)]);
      return interpret(raw, used === 1);
    },
    consume: async (state) => {
      if (!STATE_PATTERN.test(state)) return { status: "unknown" };
      const { stateKey, usedKey } = keysFor(state);
      const peeked = interpret(await redis.get(stateKey), (await redis.exists(usedKey)) === 1);
      // An expired state stays as it is: consuming it would turn a later "expired" into "used".
      if (peeked.status !== "valid") return peeked;
      const raw = (await redis.eval(CONSUME, 2, stateKey, usedKey, retentionMs)) as string | null;
      return interpret(raw, true);
    },
    bindBrowser: async (state, browserBinding) => {
      if (!STATE_PATTERN.test(state)) return { status: "unknown" };
      const { stateKey, usedKey } = keysFor(state);
      const lookup = interpret(await redis.get(stateKey), (await redis.exists(usedKey)) === 1);
      if (lookup.status !== "valid") return lookup;
      if (lookup.record.purpose !== "authorise") return { status: "unknown" };
      const record = { ...lookup.record, browserBinding };
      const remainingMs = record.expiresAtMs - now().getTime() + GRACE_MS;
      // XX: a state consumed meanwhile stays consumed.
      const written = await redis.set(stateKey, JSON.stringify(record), "PX", remainingMs, "XX");
      return written === null ? { status: "used" } : { status: "valid", record };
    },
    restore: async (state, record) => {
      const { stateKey, usedKey } = keysFor(state);
      const remainingMs = record.expiresAtMs - now().getTime() + GRACE_MS;
      if (remainingMs <= 0) return;
      await redis.set(stateKey, JSON.stringify(record), "PX", remainingMs, "NX");
      await redis.del(usedKey);
    },
  };
}
