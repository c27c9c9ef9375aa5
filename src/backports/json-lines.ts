/** Records as the backports files write them: one JSON object per line, a newline after the last. */
export function toJsonLines(records: readonly unknown[]): string {
  return records
    .map((record) => JSON.stringify(record))
    .join("\n")
    .concat("\n");
}
