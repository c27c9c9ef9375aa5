import type { Redis } from "ioredis";
import { z } from "zod";
import { RedisKeys } from "../store/redis-keys.js";
import { whereModelSchema } from "./where-model.js";

type Subject = { owner: string; repo: string; reviewerLogin: string };

/**
 * The subject's where-model beside its adapters in the registry (one key, deleted by `forget`
 * with them). `version` is the adapter version trained from the same collected history (0 when
 * none was: few-shot reviews use the where-model too).
 */
export const whereRecordSchema = z.object({
  version: z.number().int().nonnegative(),
  trainedAt: z.iso.datetime(),
  /** The run that fitted it. */
  provenance: z.string(),
  /** `collectedAt` of the history it learnt from: a run on the same collection reuses it. */
  historyCollectedAt: z.string(),
  fitSeconds: z.number().nonnegative(),
  model: whereModelSchema,
});
export type WhereRecord = z.infer<typeof whereRecordSchema>;

function keysOf(params: RegistryParams) {
  return new RedisKeys(params.keyPrefix).adapters(params.subject);
}

interface RegistryParams {
  redis: Redis;
  keyPrefix: string;
  subject: Subject;
}

/** The subject's current where-model record, if one was fitted (and not forgotten since). */
export async function getWhereRecord(params: RegistryParams): Promise<WhereRecord | undefined> {
  const raw = await params.redis.get(keysOf(params).where);
  if (!raw) return undefined;
  const parsed = whereRecordSchema.safeParse(JSON.parse(raw));
  // A record another bot version wrote is refitted, not fatal: the review falls back meanwhile.
  return parsed.success ? parsed.data : undefined;
}

/**
 * Stores a where-model as the subject's current one, unless `forget` ran after `startedAt`
 * (a run that began before the reviewer was forgotten must not bring their model back).
 */
export async function recordWhereModel(
  params: RegistryParams & { record: WhereRecord; startedAt: number },
): Promise<boolean> {
  const keys = keysOf(params);
  const forgottenAt = await params.redis.get(keys.forgottenAt);
  if (forgottenAt !== null && Number(forgottenAt) >= params.startedAt) return false;
  await params.redis.set(keys.where, JSON.stringify(whereRecordSchema.parse(params.record)));
  return true;
}

/**
 * Ties the current where-model to adapter `version` when both learnt from the same collected
 * history (the training job queued or joined by the run that fitted it).
 */
export async function linkWhereModelToAdapter(
  params: RegistryParams & { version: number; historyCollectedAt: string },
): Promise<void> {
  const current = await getWhereRecord(params);
  if (!current || current.historyCollectedAt !== params.historyCollectedAt) return;
  if (current.version === params.version) return;
  await params.redis.set(
    keysOf(params).where,
    JSON.stringify({ ...current, version: params.version }),
  );
}
