/**
 * Thrown instead of sleeping when GitHub asks for a wait longer than
 * `HISTORY_MAX_INLINE_WAIT_SECONDS` (e.g. an exhausted hourly budget): a worker should not sit
 * idle for an hour. The collection's checkpoint is saved, so the job processor can re-queue the
 * job to run at `resumeAt` (BullMQ: `job.moveToDelayed(resumeAt.getTime(), token)` then throw
 * `DelayedError`) and the next attempt resumes where this one stopped.
 */
export class RateLimitDeferral extends Error {
  override name = "RateLimitDeferral";
  readonly resumeAt: Date;

  constructor(params: { resumeAtMs: number; reason: string }) {
    super(
      `GitHub asked to wait until ${new Date(params.resumeAtMs).toISOString()} (${params.reason}); the history collection is checkpointed and resumes then`,
    );
    this.resumeAt = new Date(params.resumeAtMs);
  }
}
