/**
 * How an adapter version is written everywhere: "v3". The adapter's name, its training job's id,
 * the feedback's model label ("v3") and the hunk fingerprints' model version ("adapter-v3") all
 * derive from this one rule.
 */
export function versionLabel(version: number): string {
  return `v${version}`;
}

/** The adapter name for version `version`: GitHub names are case-insensitive, vLLM's are not. */
export function adapterNameFor(subject: {
  owner: string;
  repo: string;
  reviewerLogin: string;
  version: number;
}): string {
  return `${subject.owner}-${subject.repo}-${subject.reviewerLogin}-${versionLabel(subject.version)}`.toLowerCase();
}
