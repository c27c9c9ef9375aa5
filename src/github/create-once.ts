import { statusOf } from "./github-client.js";

/**
 * Per-request Octokit option that keeps the retry plugin from re-sending a write: after a 5xx
 * or a dropped connection GitHub may already have saved it, and a blind re-send duplicates it.
 * Pass it as `request` on every non-idempotent POST and let {@link createOnce} retry instead.
 */
export const NO_BLIND_RETRY = { retries: 0 } as const;

/** Whether a failed write may nevertheless have been saved by GitHub. */
export function outcomeUnknown(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

/**
 * Makes a non-idempotent GitHub write (a review, a comment) happen exactly once. When an attempt
 * ends with an unknown outcome (5xx, timeout, reset), first looks for what that attempt may have
 * created (by a hidden marker the caller put in the body) and adopts it; only if nothing is
 * there does it send the write again. Errors GitHub answered definitely (4xx) are rethrown.
 */
export async function createOnce<Created>(params: {
  create: () => Promise<Created>;
  /** Looks up what an earlier attempt saved, by its marker; reads may be retried freely. */
  findExisting: () => Promise<Created | undefined>;
  pause?: (ms: number) => Promise<void>;
  attempts?: number;
}): Promise<Created> {
  const attempts = params.attempts ?? 3;
  const pause = params.pause ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await params.create();
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      const existing = await params.findExisting();
      if (existing !== undefined) return existing;
      if (attempt >= attempts) throw error;
      await pause(1000 * attempt);
    }
  }
}
