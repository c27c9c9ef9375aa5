/**
 * The environment without empty values. The one rule for every process (server, workers,
 * training worker, `npm run eval`): `NAME=` in .env means "not set", so the default applies.
 */
export function withoutEmptyValues(
  env: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
}
