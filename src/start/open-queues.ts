import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { QueueNames } from "../../jobs/queue-names.js";
import { logQueueErrors } from "../store/log-queue-errors.js";

export type OpenQueues = { [Name in keyof QueueNames]: Queue } & {
  /** Every queue, for health checks, metrics and the queue board. */
  all: Queue[];
  close(): Promise<void>;
};

/** Every queue of the deployment, for enqueueing, under QUEUE_PREFIX; `close` closes them all. */
export function openQueues(params: {
  redis: Redis;
  names: QueueNames;
  prefix: string;
  log: Logger;
}): OpenQueues {
  const open = (name: string) => {
    const queue = new Queue(name, { connection: params.redis, prefix: params.prefix });
    logQueueErrors(params.log, [queue]);
    return queue;
  };
  const queues = {
    commands: open(params.names.commands),
    personaRuns: open(params.names.personaRuns),
    trainAdapters: open(params.names.trainAdapters),
    trainPickupChecks: open(params.names.trainPickupChecks),
    pushSummaries: open(params.names.pushSummaries),
    feedback: open(params.names.feedback),
    backports: open(params.names.backports),
  };
  return {
    ...queues,
    all: Object.values(queues),
    close: async () => {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}
