/**
 * The GitHub clients the history stage needs, as narrow structural types so an Octokit
 * authenticated with the requester's token (`octokit.graphql`, `octokit.request`) fits, and so do
 * test doubles.
 */
export type GraphqlClient = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<unknown>;

/** An Octokit-like `request(route, params)` answering `{ status, headers, data }`. */
export type RestRequest = (
  route: string,
  params?: Record<string, unknown>,
) => Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>;

/** Time, injected so rate-limit waits can be tested with a fake clock. */
export type Clock = {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
};

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** Requests spent so far, by API; kept across a resume in the checkpoint. */
export type RequestCounts = { graphql: number; rest: number };
