import { githubLoginSchema } from "../../jobs/github-names.js";

/** The options of a command about one reviewer in one repository (`npm run eval`, `feedback`). */
export const REVIEWER_OPTIONS = {
  repo: { type: "string" },
  reviewer: { type: "string" },
} as const;

export const BAD_REPO_OPTION = "--repo must be owner/name, e.g. --repo acme/shop";
export const BAD_REVIEWER_OPTION = "--reviewer must be a GitHub login, e.g. --reviewer alice";

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** `--repo owner/name` as its two parts; undefined when absent or not of that form. */
export function readRepoOption(
  text: string | undefined,
): { owner: string; name: string } | undefined {
  const match = REPO.exec(text ?? "");
  return match?.[1] && match[2] ? { owner: match[1], name: match[2] } : undefined;
}

/** Whether `--reviewer` names a GitHub login. */
export function isLoginOption(text: string | undefined): boolean {
  return githubLoginSchema.safeParse(text ?? "").success;
}
