import { findBackportTrailers } from "./find-backport-trailers.js";

/** A dev commit's copy on the stable branch. */
export interface BackportMatch {
  backportSha: string;
  /** When the copy landed on the stable branch (its committer date, ISO 8601). */
  backportDate: string;
  via: "trailer" | "patch-id";
}

interface DevCommitRef {
  sha: string;
  patchId?: string | undefined;
}

interface StableCommitRef {
  sha: string;
  commitDate: string;
  message: string;
  patchId?: string | undefined;
}

/**
 * Finds which dev commits have a copy on the stable branch: a stable commit whose message names
 * the dev commit (cherry-pick trailer or another mechanical note, followed through `messagesOf`
 * when it names an intermediate copy, e.g. a pick from a newer stable branch), or whose patch id
 * is the dev commit's. The earliest copy wins.
 */
export function matchBackports(params: {
  devCommits: DevCommitRef[];
  stableCommits: StableCommitRef[];
  /** Messages of commits named by trailers that are not dev commits (may lack some). */
  messagesOf: Map<string, string>;
}): Map<string, BackportMatch> {
  const devShas = params.devCommits.map((commit) => commit.sha);
  const resolveDev = (abbreviated: string): string | undefined => {
    if (abbreviated.length === 40) return devShas.includes(abbreviated) ? abbreviated : undefined;
    const hits = devShas.filter((sha) => sha.startsWith(abbreviated));
    return hits.length === 1 ? hits[0] : undefined;
  };
  const devByPatchId = new Map<string, string>();
  for (const commit of params.devCommits) {
    if (commit.patchId && !devByPatchId.has(commit.patchId)) {
      devByPatchId.set(commit.patchId, commit.sha);
    }
  }
  const matches = new Map<string, BackportMatch>();
  const record = (devSha: string, stable: StableCommitRef, via: BackportMatch["via"]) => {
    const previous = matches.get(devSha);
    if (previous && Date.parse(previous.backportDate) <= Date.parse(stable.commitDate)) return;
    matches.set(devSha, { backportSha: stable.sha, backportDate: stable.commitDate, via });
  };
  for (const stable of params.stableCommits) {
    const named = followTrailers(stable.message, params.messagesOf);
    const devHits = named.map(resolveDev).filter((sha): sha is string => sha !== undefined);
    for (const devSha of devHits) record(devSha, stable, "trailer");
    if (devHits.length > 0) continue;
    const bySamePatch = stable.patchId ? devByPatchId.get(stable.patchId) : undefined;
    if (bySamePatch) record(bySamePatch, stable, "patch-id");
  }
  return matches;
}

const MAX_HOPS = 3;

/** Every commit id the message names, and those named by the messages of those, a few hops deep. */
function followTrailers(message: string, messagesOf: Map<string, string>): string[] {
  const seen = new Set<string>();
  let frontier = findBackportTrailers(message);
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop += 1) {
    const next: string[] = [];
    for (const sha of frontier) {
      if (seen.has(sha)) continue;
      seen.add(sha);
      const intermediate = messagesOf.get(sha);
      if (intermediate) next.push(...findBackportTrailers(intermediate));
    }
    frontier = next;
  }
  return [...seen];
}

/** The trailer ids in `messages` that are not (prefixes of) dev commits: candidates for a hop. */
export function findUnresolvedTrailers(params: {
  messages: string[];
  devShas: Set<string>;
}): string[] {
  const devList = [...params.devShas];
  const unresolved = new Set<string>();
  for (const message of params.messages) {
    for (const sha of findBackportTrailers(message)) {
      if (!devList.some((dev) => dev.startsWith(sha))) unresolved.add(sha);
    }
  }
  return [...unresolved];
}
