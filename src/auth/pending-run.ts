import { z } from "zod";

/**
 * The persona run parked while its requester signs in. Ids only: it sits in Redis in clear text
 * and comes back to the orchestrator through `onAuthorised` when the sign-in completes.
 */
export const pendingRunSchema = z.object({
  installationId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  pullNumber: z.number().int().positive(),
  /** The orchestrator's id for the parked run (e.g. the persona job id); opaque to this stage. */
  runId: z.string().min(1),
  /** The person who wrote the mention: only their GitHub account may complete the sign-in. */
  requesterLogin: z.string().min(1),
  requesterId: z.number().int().positive(),
});

export type PendingRun = z.infer<typeof pendingRunSchema>;
