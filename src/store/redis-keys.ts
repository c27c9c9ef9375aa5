/**
 * Every Redis key layout of the bot, in one place (BullMQ's QueueKeys is the model): a room asks
 * for its keys here and never spells a layout itself, so two rooms that share a key (the history
 * the collection writes and `forget` deletes; the run owner the worker sets and the sweep clears)
 * cannot drift apart. Layouts are stored data: changing one strands what Redis already holds.
 *
 * `{owner/repo/login}` and `{owner/repo}` are Redis Cluster hash tags: a subject's keys share one
 * slot, so they can be read and deleted together atomically.
 */
export class RedisKeys {
  /** QUEUE_PREFIX; a trailing ":" (how the auth stage was given it) is dropped. */
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix.replace(/:$/, "");
  }

  // --- command intake
  /** A delivery already accepted (webhook redeliveries are dropped). */
  seenDelivery(deliveryId: string): string {
    return `${this.prefix}:seen:delivery:${deliveryId}`;
  }
  /** A command comment already accepted, whichever delivery brought it. */
  seenComment(kind: string, commentId: number): string {
    return `${this.prefix}:seen:comment:${kind}:${commentId}`;
  }
  /** The intake's checkpoints of one command job (reacted, replied, queued). */
  intake(jobId: string): string {
    return `${this.prefix}:intake:${jobId}`;
  }

  // --- persona runs
  runTicket(runId: string): string {
    return `${this.prefix}:run-ticket:${runId}`;
  }
  /** Which worker process holds a run. */
  runOwner(runId: string): string {
    return `${this.prefix}:run-owner:${runId}`;
  }
  /** A parked run's persona job, until an event resumes it. */
  parked(runId: string): string {
    return `${this.prefix}:parked:${runId}`;
  }
  runStatus(params: { owner: string; repo: string; runId: string }) {
    return {
      index: `${this.prefix}:run-status:{${params.owner}/${params.repo}}:runs`.toLowerCase(),
      status: `${this.prefix}:run-status:${params.runId}`,
    };
  }
  /** Throttles training progress edits of one run's status comment. */
  trainProgressShown(runId: string): string {
    return `${this.prefix}:train-progress-shown:${runId}`;
  }

  // --- history
  history(subject: Subject) {
    const tag = subjectTag(subject);
    const base = `${this.prefix}:history:${tag}`;
    return {
      checkpoint: `${base}:checkpoint`,
      pulls: `${base}:pulls`,
      comments: `${base}:comments`,
      negatives: `${base}:negatives`,
      /** Every hunk of the newest reviewed pull requests, for the where-model. */
      pullFiles: `${base}:pull-files`,
      train: `${base}:train`,
      holdout: `${base}:holdout`,
      /** The reviewer's precedent index (src/retrieval), built with the dataset. */
      retrieval: `${base}:retrieval`,
      result: `${base}:result`,
      runs: `${base}:runs`,
      stats: `${this.prefix}:history-stats:${tag}`,
      /** SCAN pattern over every key above but `stats`. */
      all: `${base}:*`,
    };
  }

  // --- training and adapters
  adapters(subject: Subject) {
    const base = `${this.prefix}:adapters:${subjectTag(subject)}`;
    return {
      current: `${base}:current`,
      names: `${base}:names`,
      history: `${base}:history`,
      version: `${base}:version`,
      forgottenAt: `${base}:forgotten-at`,
      inFlight: `${base}:in-flight`,
      /** The subject's where-model (src/where/where-registry.ts); `forget` deletes it. */
      where: `${base}:where`,
    };
  }
  /** SCAN pattern: the `current` adapter key of every reviewer in one repository. */
  currentAdaptersOf(repo: { owner: string; repo: string }): string {
    return `${this.prefix}:adapters:{${repo.owner}/${repo.repo}/*}:current`.toLowerCase();
  }
  /**
   * A reviewer's precedent index kept under an adapter's name (src/retrieval): the one its
   * training data was augmented from, as long as the adapter lives; `all` is the SCAN pattern
   * `forget` deletes.
   */
  retrieval(subject: Subject) {
    const base = `${this.prefix}:retrieval:${subjectTag(subject)}`;
    return { forAdapter: (adapterName: string) => `${base}:${adapterName}`, all: `${base}:*` };
  }
  /** Which subject owns an adapter name. */
  adapterNameOwner(adapterName: string): string {
    return `${this.prefix}:adapter-names:${adapterName}`;
  }
  trainWaiters(trainJobId: string): string {
    return `${this.prefix}:train-waiters:${trainJobId}`;
  }
  trainWait(runId: string): string {
    return `${this.prefix}:train-wait:${runId}`;
  }
  trainOutcome(trainJobId: string): string {
    return `${this.prefix}:train-outcome:${trainJobId}`;
  }
  /** The runs whose status comment waits for an adapter's holdout evaluation (hash runId → job). */
  evaluationWatchers(adapterName: string): string {
    return `${this.prefix}:evaluation-watchers:${adapterName}`;
  }

  // --- comment fates
  fates() {
    const base = `${this.prefix}:feedback`;
    return {
      comment: (commentId: number) => `${base}:comment:${commentId}`,
      replies: (commentId: number) => `${base}:comment:${commentId}:replies`,
      persona: (p: Subject) =>
        `${base}:persona:${p.owner.toLowerCase()}/${p.repo.toLowerCase()}:${p.reviewerLogin.toLowerCase()}`,
      pull: (p: { owner: string; repo: string; pullNumber: number }) =>
        `${base}:pull:${p.owner.toLowerCase()}/${p.repo.toLowerCase()}#${p.pullNumber}`,
    };
  }

  // --- backport triage
  /** The last report of a repository's scheduled triage for one stable branch (a hash). */
  backportsReport(params: { owner: string; repo: string; stable: string }): string {
    const tag = `{${params.owner}/${params.repo}}`.toLowerCase();
    return `${this.prefix}:backports:${tag}:${params.stable}`;
  }

  // --- feed and dashboard
  feed(repo: { owner: string; repo: string }) {
    const base = `${this.prefix}:feed:{${repo.owner}/${repo.repo}}`.toLowerCase();
    return { entries: `${base}:entries`, order: `${base}:order` };
  }
  dashboardAccess(userId: number, what: string): string {
    return `${this.prefix}:dashboard:access:${userId}:${what}`.toLowerCase();
  }

  // --- sign-in
  userToken(userId: number): string {
    return `${this.prefix}:auth:user-token:${userId}`;
  }
  tokenRefreshLock(userId: number): string {
    return `${this.prefix}:auth:refresh-lock:${userId}`;
  }
  oauthState(digest: string) {
    return {
      state: `${this.prefix}:auth:oauth-state:${digest}`,
      used: `${this.prefix}:auth:oauth-state-used:${digest}`,
    };
  }
}

/** Whose keys: a reviewer's persona in one repository. */
interface Subject {
  owner: string;
  repo: string;
  reviewerLogin: string;
}

function subjectTag(subject: Subject): string {
  return `{${subject.owner}/${subject.repo}/${subject.reviewerLogin}}`.toLowerCase();
}
