import { z } from "zod";
import { adapterNameFor } from "../../jobs/adapter-names.js";
import type { AdapterSubject } from "../../jobs/train-job.js";
import { systemTurnSchema } from "../prompts/keep-system-turn.js";
import { RedisKeys } from "../store/redis-keys.js";
import { type RedisScope, readJsonKey } from "../store/redis-scope.js";

/**
 * The adapter registry in Redis: per (repository, reviewer) the current adapter and every name
 * ever published. All keys of one subject share a `{owner/repo/login}` hash tag (one cluster
 * slot). Keys (`<p>` is QUEUE_PREFIX):
 *
 * - `<p>:adapters:{o/r/l}:current` — JSON {@link AdapterRecord} of the adapter runs use.
 * - `<p>:adapters:{o/r/l}:names` — set of every published adapter name (what `forget` deletes).
 * - `<p>:adapters:{o/r/l}:history` — JSON {@link AdapterRecord}s of the last published versions,
 *   newest first (the dashboard's persona page).
 * - `<p>:adapters:{o/r/l}:version` — the last reserved version. Kept by `forget`: a name is never
 *   reused, because vLLM may still hold an old adapter under it in memory.
 * - `<p>:adapters:{o/r/l}:in-flight` — the id of the training job new runs join (cleared when it
 *   ends), so concurrent mentions of the same reviewer share one job.
 * - `<p>:adapters:{o/r/l}:forgotten-at` — when `forget` ran (ms); a training job queued before
 *   that does not publish.
 * - `<p>:adapters:{o/r/l}:where` — JSON record of the subject's where-model (src/where/where-registry.ts):
 *   which hunks the reviewer comments on, tied to the adapter version trained from the same history.
 * - `<p>:adapter-names:<name>` — which subject owns a name. `<owner>-<repo>-<login>` can collide
 *   (`a-b/c` and `a/b-c`), so a version whose name another subject holds is skipped.
 */
export function registryKeys(params: { keyPrefix: string; subject: AdapterSubject }) {
  const keys = new RedisKeys(params.keyPrefix);
  return {
    ...keys.adapters(params.subject),
    nameOwner: (adapterName: string) => keys.adapterNameOwner(adapterName),
  };
}

export const adapterRecordSchema = z.object({
  adapterName: z.string(),
  version: z.number().int().positive(),
  /** The base model the adapter was trained on (vLLM's --model). */
  baseModel: z.string(),
  trainedAt: z.iso.datetime(),
  /** Training examples (the reviewer's comments on hunks). */
  examples: z.number().int().nonnegative(),
  /** How the trainer rendered the system turn (its profile's tokenizer.system_turn); absent: full. */
  systemTurn: systemTurnSchema.optional(),
  steps: z.number().int().nonnegative().nullable(),
  trainSeconds: z.number().nonnegative().nullable(),
  /** Passes over the dataset the training made (trainers that report it): 1.3 = every example once, a third twice. */
  epochs: z.number().nonnegative().optional(),
  /** Holdout scores by metric (e.g. `bleu4`), once an evaluation has run; `{}` until then. */
  scores: z.record(z.string(), z.number()),
  /** Feedback examples in its dataset and the rule version that made them (src/feedback). */
  feedbackSignal: z
    .object({ version: z.number().int(), positives: z.number().int(), negatives: z.number().int() })
    .optional(),
  /** The evaluation's one-line quote, e.g. "holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot". */
  evaluation: z.string().optional(),
  /**
   * Its holdout evaluation is running: the adapter is recorded (and its waiting runs review) as
   * soon as it is published, and the figures fill in when the evaluation ends
   * (recordAdapterEvaluation). Absent: evaluated, or no evaluation will come.
   */
  evaluationPending: z.literal(true).optional(),
});

export type AdapterRecord = z.infer<typeof adapterRecordSchema>;

type RegistryParams = RedisScope & { subject: AdapterSubject };

/** The adapter a run in this repository uses for this reviewer, if one was trained. */
export async function getCurrentAdapter(
  params: RegistryParams,
): Promise<AdapterRecord | undefined> {
  return readJsonKey(params.redis, registryKeys(params).current, adapterRecordSchema);
}

/**
 * Reserves the next version and its adapter name for the subject, atomically (INCR), so two
 * hosts can never train the same name.
 */
export async function reserveNextVersion(
  params: RegistryParams,
): Promise<{ version: number; adapterName: string }> {
  const keys = registryKeys(params);
  const owner = `${params.subject.owner}/${params.subject.repo}/${params.subject.reviewerLogin}`;
  for (;;) {
    const version = await params.redis.incr(keys.version);
    const adapterName = adapterNameFor({ ...params.subject, version });
    const claimed = await params.redis.set(keys.nameOwner(adapterName), owner.toLowerCase(), "NX");
    if (claimed === "OK") return { version, adapterName };
    const holder = await params.redis.get(keys.nameOwner(adapterName));
    if (holder === owner.toLowerCase()) return { version, adapterName };
  }
}

/** Makes a published adapter the subject's current one and remembers its name for `forget`. */
export async function recordAdapter(
  params: RegistryParams & { adapter: AdapterRecord },
): Promise<void> {
  const keys = registryKeys(params);
  const record = adapterRecordSchema.parse(params.adapter);
  await params.redis
    .multi()
    .set(keys.current, JSON.stringify(record))
    .sadd(keys.names, record.adapterName)
    .lpush(keys.history, JSON.stringify(record))
    .ltrim(keys.history, 0, MAX_HISTORY - 1)
    .exec();
}

/** The adapter's current record and its history entry, both or either, compared and set together. */
const SET_IF_UNCHANGED = `
if ARGV[1] ~= "" and redis.call("GET", KEYS[1]) ~= ARGV[1] then return 0 end
local index = tonumber(ARGV[3])
if index >= 0 and redis.call("LINDEX", KEYS[2], index) ~= ARGV[4] then return 0 end
if ARGV[1] ~= "" then redis.call("SET", KEYS[1], ARGV[2]) end
if index >= 0 then redis.call("LSET", KEYS[2], index, ARGV[5]) end
return 1`;

/**
 * Fills in the holdout evaluation of a recorded adapter (`undefined`: it gave no figures, so it
 * is no longer pending): in the current record if the adapter is still current, and in its
 * history entry. Creates nothing, so an adapter forgotten meanwhile stays forgotten.
 * @returns whether a record held the adapter.
 */
export async function recordAdapterEvaluation(
  params: RegistryParams & {
    adapterName: string;
    evaluation: { scores: Record<string, number>; summary: string } | undefined;
  },
): Promise<boolean> {
  const keys = registryKeys(params);
  const fill = (raw: string) => {
    const { evaluationPending: _, ...record } = adapterRecordSchema.parse(JSON.parse(raw));
    return JSON.stringify(
      adapterRecordSchema.parse({
        ...record,
        ...(params.evaluation
          ? { scores: params.evaluation.scores, evaluation: params.evaluation.summary }
          : {}),
      }),
    );
  };
  const holds = (raw: string | null | undefined): raw is string =>
    typeof raw === "string" &&
    adapterRecordSchema.parse(JSON.parse(raw)).adapterName === params.adapterName;
  // Compare-and-set, again if a record changed in between (another version recorded, forget).
  for (let attempt = 0; attempt < 10; attempt++) {
    const [current, history] = await Promise.all([
      params.redis.get(keys.current),
      params.redis.lrange(keys.history, 0, MAX_HISTORY - 1),
    ]);
    const index = history.findIndex((entry) => holds(entry));
    const entry = history[index];
    if (!holds(current) && entry === undefined) return false;
    const set = await params.redis.eval(
      SET_IF_UNCHANGED,
      2,
      keys.current,
      keys.history,
      holds(current) ? current : "",
      holds(current) ? fill(current) : "",
      String(entry === undefined ? -1 : index),
      entry ?? "",
      entry === undefined ? "" : fill(entry),
    );
    if (set === 1) return true;
  }
  throw new Error(
    `the registry records of ${params.adapterName} kept changing while its evaluation was recorded`,
  );
}

/** Versions the history keeps per subject. */
const MAX_HISTORY = 20;

/** The subject's published adapters, newest first (at most 20). */
export async function listAdapterHistory(params: RegistryParams): Promise<AdapterRecord[]> {
  const raw = await params.redis.lrange(registryKeys(params).history, 0, MAX_HISTORY - 1);
  return raw.map((value) => adapterRecordSchema.parse(JSON.parse(value)));
}

/** When `forget` last ran for the subject (ms since epoch), if ever. */
export async function getForgottenAt(params: RegistryParams): Promise<number | undefined> {
  const raw = await params.redis.get(registryKeys(params).forgottenAt);
  return raw ? Number(raw) : undefined;
}

/**
 * Deletes the subject's registry entries and marks the moment, so a training job queued
 * earlier does not publish afterwards.
 * @returns the adapter names that were published, for deleting their directories.
 */
export async function forgetRegistryEntries(
  params: RegistryParams & { now?: number },
): Promise<{ adapterNames: string[]; current: AdapterRecord | undefined }> {
  const keys = registryKeys(params);
  const current = await getCurrentAdapter(params);
  const results = await params.redis
    .multi()
    .smembers(keys.names)
    .del(keys.current, keys.names, keys.inFlight, keys.history, keys.where)
    .set(keys.forgottenAt, String(params.now ?? Date.now()))
    .exec();
  const names = (results?.[0]?.[1] as string[] | undefined) ?? [];
  return { adapterNames: names.sort(), current };
}
