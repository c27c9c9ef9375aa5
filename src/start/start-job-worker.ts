import { type Job, Worker, type WorkerOptions } from "bullmq";

/**
 * A BullMQ worker whose processor gets each job's data as the queue's schema parses it: a job
 * whose data does not match fails with the schema's error before `process` runs.
 */
export function startJobWorker<Data, Result>(params: {
  queueName: string;
  schema: { parse(data: unknown): Data };
  process: (data: Data, job: Job) => Promise<Result>;
  options: WorkerOptions;
}): Worker {
  const { schema, process } = params;
  return new Worker(
    params.queueName,
    async (job) => process(schema.parse(job.data), job),
    params.options,
  );
}
