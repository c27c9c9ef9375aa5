import { z } from "zod";
import { REPO_CONFIG_PATH, RepoConfigFileError } from "../github/read-repo-config-file.js";

/** The `backports:` section of `.github/tech-lead-bot.yml`. */
export const backportsRepoConfigSchema = z.object({
  /** Stable branches to triage, each on its own schedule entry, e.g. ["release-1.4"]. */
  stable: z.array(z.string().trim().min(1)).min(1, { error: "backports.stable lists no branch" }),
  /** A cron pattern (UTC), e.g. "0 5 * * 1" for Mondays at 05:00; default daily at 05:00. */
  schedule: z
    .string()
    .trim()
    .refine((value) => /^\S+(\s+\S+){4,5}$/.test(value), {
      error: 'backports.schedule must be a cron pattern of 5 or 6 fields, e.g. "0 5 * * 1"',
    })
    .default("0 5 * * *"),
  /** The development branch (default: the repository's default branch). */
  dev: z.string().trim().min(1).optional(),
  /** Earlier stable branches to learn from (default: up to 3 older ones named like each stable). */
  history: z.array(z.string().trim().min(1)).optional(),
  /** Subjects set in bold, as a regular expression (default: bug and doc fixes). */
  bold: z
    .string()
    .refine(
      (value) => {
        try {
          new RegExp(value, "i");
          return true;
        } catch {
          return false;
        }
      },
      { error: "backports.bold must be a regular expression" },
    )
    .optional(),
});
export type BackportsRepoConfig = z.infer<typeof backportsRepoConfigSchema>;

/**
 * The `backports:` section of the repository's config file, or undefined when it has none.
 *
 * @throws RepoConfigFileError naming the bad field and the file.
 */
export function parseBackportsRepoConfig(
  raw: unknown,
  repo: string,
): BackportsRepoConfig | undefined {
  const section = (raw as { backports?: unknown } | null | undefined)?.backports;
  if (section === undefined || section === null) return undefined;
  const parsed = backportsRepoConfigSchema.safeParse(section);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new RepoConfigFileError(`${REPO_CONFIG_PATH} in ${repo}: ${problems}`);
  }
  return parsed.data;
}
