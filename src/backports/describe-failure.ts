/** An error and its causes, one per line, for a command line's stderr. */
export function describeFailure(error: unknown): string {
  const causes: string[] = [];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (!causes.includes(cause.message)) causes.push(cause.message);
  }
  return causes.join("\n  caused by: ") || String(error);
}
