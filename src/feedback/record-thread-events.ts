import { z } from "zod";
import type { FateStore } from "../fates/fate-store.js";

const threadEventSchema = z.object({
  action: z.enum(["resolved", "unresolved"]),
  thread: z.object({ comments: z.array(z.object({ id: z.number().int() })) }),
});

/** A webhook payload to record in the fate store; the recorders say false when it is not theirs. */
type FateEvent = { store: FateStore; payload: unknown };

/**
 * `pull_request_review_thread.resolved` / `unresolved`: sets the state of our comment that opens
 * the thread (the first comment). Setting, not counting: a redelivery changes nothing.
 */
export async function recordThreadState(params: FateEvent): Promise<boolean> {
  const parsed = threadEventSchema.safeParse(params.payload);
  if (!parsed.success) return false;
  const event = parsed.data;
  const root = event.thread.comments[0];
  if (!root || !(await params.store.isOurs(root.id))) return false;
  await params.store.setThreadState(root.id, { resolved: event.action === "resolved" });
  return true;
}

const replyEventSchema = z.object({
  comment: z.object({
    id: z.number().int(),
    in_reply_to_id: z.number().int().optional().nullable(),
    body: z.string(),
    created_at: z.string(),
    user: z.object({ login: z.string(), type: z.string() }),
  }),
});

/**
 * `pull_request_review_comment.created` with `in_reply_to_id` on one of our comments, by a
 * person: kept with its text (the retraining set reads it), under the reply's own id.
 */
export async function recordReply(params: FateEvent): Promise<boolean> {
  const parsed = replyEventSchema.safeParse(params.payload);
  if (!parsed.success) return false;
  const { comment } = parsed.data;
  if (!comment.in_reply_to_id || comment.user.type === "Bot") return false;
  if (!(await params.store.isOurs(comment.in_reply_to_id))) return false;
  await params.store.addReply(comment.in_reply_to_id, {
    replyId: comment.id,
    login: comment.user.login,
    body: comment.body,
    createdAt: comment.created_at,
  });
  return true;
}
