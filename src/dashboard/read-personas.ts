import type { Redis } from "ioredis";
import { RedisKeys } from "../store/redis-keys.js";
import {
  type AdapterRecord,
  getCurrentAdapter,
  listAdapterHistory,
} from "../train/adapter-registry.js";

/** A persona of one repository as the dashboard shows it: its adapters, newest first. */
export interface PersonaSummary {
  reviewerLogin: string;
  current: AdapterRecord;
  versions: AdapterRecord[];
}

/**
 * The personas trained in `owner/repo`: every reviewer with a current adapter in the registry.
 * Finds them by scanning the registry's `current` keys of the repository (a handful per repo).
 */
export async function readPersonas(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
}): Promise<PersonaSummary[]> {
  const pattern = new RedisKeys(params.keyPrefix)
    .currentAdaptersOf(params)
    .replace(/[[\]?]/g, (char) => `\\${char}`);
  const logins = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await params.redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      const login = /\/([^/{}]+)\}:current$/.exec(key)?.[1];
      if (login) logins.add(login);
    }
  } while (cursor !== "0");

  const personas: PersonaSummary[] = [];
  for (const reviewerLogin of [...logins].sort()) {
    const subject = { owner: params.owner, repo: params.repo, reviewerLogin };
    const registry = { redis: params.redis, keyPrefix: params.keyPrefix, subject };
    const current = await getCurrentAdapter(registry);
    if (current === undefined) continue;
    const history = await listAdapterHistory(registry);
    const versions = history.some((record) => record.adapterName === current.adapterName)
      ? history
      : [current, ...history];
    personas.push({ reviewerLogin, current, versions });
  }
  return personas;
}
