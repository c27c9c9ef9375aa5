import { z } from "zod";

/** GitHub logins: 1–39 letters, digits and single hyphens, no hyphen at either end. */
export const githubLoginSchema = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "not a GitHub login");

/** Repository owners follow the login rules; repository names are letters, digits, `.-_`. */
export const repoNameSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "not a repository name");

export const commitShaSchema = z.string().regex(/^[0-9a-f]{40}$/, "not a commit SHA");

/** A pull request at one head commit, in an installation of the app: what a PR job is about. */
export const pullRequestAtHeadSchema = z.object({
  installationId: z.number().int().positive(),
  owner: githubLoginSchema,
  repo: repoNameSchema,
  pullNumber: z.number().int().positive(),
  headSha: commitShaSchema,
});
