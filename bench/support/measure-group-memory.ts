import { readdirSync, readFileSync } from "node:fs";

/**
 * The resident memory (VmRSS, from /proc) of every process in process group `group`, largest
 * first, as one line: `rss_mb=<sum> (<name> <mb>, …)`. Pages shared between the processes are
 * counted in each, so the sum is an upper bound.
 */
export function describeGroupMemory(group: number): string {
  const processes = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields after the parenthesised command: state, ppid, pgrp, …
        const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
        if (pgrp !== group) return [];
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
        const name = /^Name:\s+(.+)$/m.exec(status)?.[1] ?? pid;
        return [{ name, mb: kb / 1024 }];
      } catch {
        return []; // exited while being read
      }
    })
    .filter((process) => process.mb > 0)
    .sort((left, right) => right.mb - left.mb);
  const total = processes.reduce((sum, process) => sum + process.mb, 0);
  const each = processes.map((process) => `${process.name} ${process.mb.toFixed(0)}`).join(", ");
  return `rss_mb=${total.toFixed(0)} (${each})`;
}
