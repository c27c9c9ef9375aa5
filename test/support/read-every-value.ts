import type { Redis } from "ioredis";

/** Every value under the prefix, whatever its Redis type, as text. */
export async function readEveryValue(redis: Redis, pattern: string): Promise<string[]> {
  const texts: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      texts.push(key);
      const type = await redis.type(key);
      if (type === "string") texts.push((await redis.get(key)) ?? "");
      else if (type === "hash") texts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") texts.push(...(await redis.lrange(key, 0, -1)));
      else if (type === "set") texts.push(...(await redis.smembers(key)));
      else if (type === "zset") texts.push(...(await redis.zrange(key, "0", "-1")));
      else if (type === "stream") texts.push(JSON.stringify(await redis.xrange(key, "-", "+")));
      // Deleted between SCAN and TYPE (a worker emptied a list meanwhile): nothing to read.
      else if (type === "none") continue;
      else throw new Error(`the scan does not know how to read Redis type ${type} (key ${key})`);
    }
  } while (cursor !== "0");
  return texts;
}
