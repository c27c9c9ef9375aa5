import type { Redis } from "ioredis";
import { RedisKeys } from "../store/redis-keys.js";
import {
  type CommentFate,
  type Persona,
  type PostedComment,
  postedCommentSchema,
  type Reply,
  replySchema,
} from "./comment-fate.js";

/**
 * The fate of every comment the bot posted, in Redis. Every write *sets* a value (a flag, the
 * latest reaction counts, a reply under its own id), never increments one, so a redelivered
 * webhook or a second read of the same reactions counts nothing twice. Kept without a TTL: the
 * figures are about the whole life of a persona (forget-reviewer deletes them with the rest).
 */
export interface FateStore {
  recordPosted(comments: readonly PostedComment[]): Promise<void>;
  /** Our comment ids on a pull request. */
  commentIdsOfPull(params: { owner: string; repo: string; pullNumber: number }): Promise<number[]>;
  isOurs(commentId: number): Promise<boolean>;
  markAddressed(commentId: number, how: string): Promise<void>;
  setThreadState(
    commentId: number,
    state: { resolved?: boolean; outdated?: boolean },
  ): Promise<void>;
  setReactions(commentId: number, reactions: Record<string, number>): Promise<void>;
  addReply(commentId: number, reply: Reply): Promise<void>;
  setPullState(commentId: number, state: "merged" | "closed"): Promise<void>;
  read(commentId: number): Promise<CommentFate | undefined>;
  /** Every comment of the persona, all adapter versions, oldest first. */
  readPersona(persona: Persona): Promise<CommentFate[]>;
  /** Deletes every record of the persona (the `forget` command); returns how many comments. */
  forgetPersona(persona: Persona): Promise<number>;
}

export function createFateStore(params: { redis: Redis; keyPrefix: string }): FateStore {
  const { redis } = params;
  const {
    comment: commentKey,
    replies: repliesKey,
    persona: personaKey,
    pull: pullKey,
  } = new RedisKeys(params.keyPrefix).fates();

  const setField = async (commentId: number, field: string, value: string) => {
    // Only on comments we know: a webhook about someone else's thread must not create records.
    if (!(await redis.exists(commentKey(commentId)))) return;
    await redis.hset(commentKey(commentId), field, value);
  };

  const read = async (commentId: number): Promise<CommentFate | undefined> => {
    const [fields, replies] = await Promise.all([
      redis.hgetall(commentKey(commentId)),
      redis.hvals(repliesKey(commentId)),
    ]);
    if (!fields.posted) return undefined;
    const comment = postedCommentSchema.parse(JSON.parse(fields.posted));
    return {
      comment,
      addressed: fields.addressed !== undefined,
      ...(fields.addressed ? { addressedBy: fields.addressed } : {}),
      outdated: fields.outdated === "1",
      resolved: fields.resolved === "1",
      replies: replies
        .map((raw) => replySchema.parse(JSON.parse(raw)))
        .sort((a, b) => a.replyId - b.replyId),
      reactions: fields.reactions ? (JSON.parse(fields.reactions) as Record<string, number>) : {},
      ...(fields.pullState === "merged" || fields.pullState === "closed"
        ? { pullState: fields.pullState }
        : {}),
    };
  };

  const readPersona = async (persona: Persona): Promise<CommentFate[]> => {
    const ids = await redis.zrange(personaKey(persona), "0", "-1");
    const fates = await Promise.all(ids.map((id) => read(Number(id))));
    return fates.filter((fate): fate is CommentFate => fate !== undefined);
  };

  return {
    async recordPosted(comments) {
      const multi = redis.multi();
      for (const comment of comments) {
        const checked = postedCommentSchema.parse(comment);
        multi.hset(commentKey(checked.commentId), "posted", JSON.stringify(checked));
        multi.zadd(
          personaKey(checked),
          String(Date.parse(checked.postedAt)),
          String(checked.commentId),
        );
        multi.sadd(pullKey(checked), String(checked.commentId));
      }
      await multi.exec();
    },
    async commentIdsOfPull(pull) {
      return (await redis.smembers(pullKey(pull))).map(Number).sort((a, b) => a - b);
    },
    async isOurs(commentId) {
      return (await redis.exists(commentKey(commentId))) === 1;
    },
    async markAddressed(commentId, how) {
      // The first decision stands: a later push cannot un-address a comment.
      if (!(await redis.exists(commentKey(commentId)))) return;
      await redis.hsetnx(commentKey(commentId), "addressed", how);
    },
    async setThreadState(commentId, state) {
      if (state.resolved !== undefined)
        await setField(commentId, "resolved", state.resolved ? "1" : "0");
      if (state.outdated !== undefined)
        await setField(commentId, "outdated", state.outdated ? "1" : "0");
    },
    async setReactions(commentId, reactions) {
      await setField(commentId, "reactions", JSON.stringify(reactions));
    },
    async addReply(commentId, reply) {
      if (!(await redis.exists(commentKey(commentId)))) return;
      await redis.hset(repliesKey(commentId), String(reply.replyId), JSON.stringify(reply));
    },
    async setPullState(commentId, state) {
      await setField(commentId, "pullState", state);
    },
    read,
    readPersona,
    async forgetPersona(persona) {
      const fates = await readPersona(persona);
      const multi = redis.multi();
      for (const { comment } of fates) {
        multi.del(commentKey(comment.commentId), repliesKey(comment.commentId));
        multi.srem(pullKey(comment), String(comment.commentId));
      }
      multi.del(personaKey(persona));
      await multi.exec();
      return fates.length;
    },
  };
}
