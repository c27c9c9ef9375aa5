const MAX_PAGES = 30;

interface ListedItem {
  id: number;
  html_url: string;
  body?: string | null;
  user?: { type?: string } | null;
}

/**
 * Finds the bot's own item (review, comment) whose body holds `marker`, by reading a list route
 * page by page. Only bot-authored bodies count, so nobody can plant a marker to be "adopted".
 */
export async function findBotItemByMarker(params: {
  octokit: {
    request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown }>;
  };
  route: string;
  params: Record<string, unknown>;
  marker: string;
}): Promise<{ id: number; html_url: string } | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await params.octokit.request(params.route, {
      ...params.params,
      per_page: 100,
      page,
    });
    const items = response.data as unknown as ListedItem[];
    const found = items.find(
      (item) => item.user?.type === "Bot" && (item.body ?? "").includes(params.marker),
    );
    if (found) return { id: Number(found.id), html_url: String(found.html_url) };
    if (items.length < 100) return undefined;
  }
  return undefined;
}
