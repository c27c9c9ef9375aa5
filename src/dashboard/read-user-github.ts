import { Octokit } from "@octokit/core";
import type { Redis } from "ioredis";
import { z } from "zod";
import { statusOf } from "../github/github-client.js";
import { RedisKeys } from "../store/redis-keys.js";

/** How long an answer about what a person can read is reused before GitHub is asked again. */
export const ACCESS_CACHE_SECONDS = 60;

/** The signed-in person's own token was refused: they must sign in again. */
export class SignedOutError extends Error {
  override name = "SignedOutError";
}

const repositorySchema = z.object({
  name: z.string(),
  full_name: z.string(),
  private: z.boolean(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().optional(),
  permissions: z.object({ pull: z.boolean() }).partial().optional(),
});

export type ReadableRepository = { owner: string; repo: string; private: boolean };

/** GitHub's largest page for these lists. */
const PER_PAGE = 100;
/** Stops a list that never ends (10,000 installations or repositories per installation). */
const MAX_PAGES = 100;
const installationsPageSchema = z.object({
  total_count: z.number().optional(),
  installations: z.array(z.object({ id: z.number() })),
});
const repositoriesPageSchema = z.object({
  total_count: z.number().optional(),
  repositories: z.array(repositorySchema),
});

/**
 * Every item of a paged GitHub list: pages 1, 2, … until one is short of {@link PER_PAGE}
 * or `total_count` items are in hand.
 */
async function readAllPages<T>(
  readPage: (page: number) => Promise<{ items: T[]; total: number | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { items, total } = await readPage(page);
    all.push(...items);
    if (items.length < PER_PAGE || (total !== undefined && all.length >= total)) break;
  }
  return all;
}

/**
 * What a signed-in person may see, asked of GitHub with their own token (a GitHub App user token
 * sees only repositories the app is installed on that the person can read). Answers are cached
 * in Redis for {@link ACCESS_CACHE_SECONDS}, per person.
 */
export function createUserGitHubReader(params: {
  redis: Redis;
  keyPrefix: string;
  apiUrl: string;
  cacheSeconds?: number;
}) {
  const ttl = params.cacheSeconds ?? ACCESS_CACHE_SECONDS;
  const client = (token: string) =>
    new Octokit({ auth: token, baseUrl: params.apiUrl, userAgent: "tech-lead-bot" });
  const cacheKey = (userId: number, what: string) =>
    new RedisKeys(params.keyPrefix).dashboardAccess(userId, what);

  return {
    /** Whether the person can read `owner/repo` (GitHub answers 404 when they cannot). */
    async canRead(request: {
      userId: number;
      token: string;
      owner: string;
      repo: string;
    }): Promise<boolean> {
      const key = cacheKey(request.userId, `repo:${request.owner}/${request.repo}`);
      const cached = await params.redis.get(key);
      if (cached !== null) return cached === "1";
      let readable: boolean;
      try {
        const response = await client(request.token).request("GET /repos/{owner}/{repo}", {
          owner: request.owner,
          repo: request.repo,
        });
        readable = repositorySchema.parse(response.data).permissions?.pull !== false;
      } catch (error) {
        const status = statusOf(error);
        if (status === 401) throw new SignedOutError("GitHub refused the person's token");
        if (status !== 404 && status !== 403) throw error;
        readable = false;
      }
      await params.redis.set(key, readable ? "1" : "0", "EX", ttl);
      return readable;
    },

    /** The repositories of this app's installations the person can read (every page of both lists). */
    async listRepositories(request: {
      userId: number;
      token: string;
    }): Promise<ReadableRepository[]> {
      const key = cacheKey(request.userId, "repositories");
      const cached = await params.redis.get(key);
      if (cached !== null) return JSON.parse(cached) as ReadableRepository[];
      const octokit = client(request.token);
      const repositories: ReadableRepository[] = [];
      try {
        const installations = await readAllPages(async (page) => {
          const answer = installationsPageSchema.parse(
            (await octokit.request("GET /user/installations", { per_page: PER_PAGE, page })).data,
          );
          return { items: answer.installations, total: answer.total_count };
        });
        for (const installation of installations) {
          const inInstallation = await readAllPages(async (page) => {
            const answer = repositoriesPageSchema.parse(
              (
                await octokit.request("GET /user/installations/{installation_id}/repositories", {
                  installation_id: installation.id,
                  per_page: PER_PAGE,
                  page,
                })
              ).data,
            );
            return { items: answer.repositories, total: answer.total_count };
          });
          for (const repository of inInstallation)
            repositories.push({
              owner: repository.owner.login,
              repo: repository.name,
              private: repository.private,
            });
        }
      } catch (error) {
        if (statusOf(error) === 401) throw new SignedOutError("GitHub refused the person's token");
        throw error;
      }
      repositories.sort((a, b) =>
        `${a.owner}/${a.repo}`.localeCompare(`${b.owner}/${b.repo}`, "en"),
      );
      await params.redis.set(key, JSON.stringify(repositories), "EX", ttl);
      return repositories;
    },
  };
}

export type UserGitHubReader = ReturnType<typeof createUserGitHubReader>;
