import { flattenSuggestions, isLinkOnly } from "./extract-target.js";

/** How many training targets say nothing a model could learn to say, by kind. */
export interface TargetStatistics {
  targets: number;
  /** A lead-in alone: "nit:", "style nit:". */
  bareLabel: number;
  /** Only a link (a commit or file URL). */
  linkOnly: number;
  /** A code fence's opening line alone ("```", "```c"). */
  bareFence: number;
  /** Targets of five characters or fewer ("nit", "ACK", "..."). */
  tiny: number;
  distinct: number;
  meanChars: number;
}

/** Counts the kinds of empty targets in a dataset; see {@link TargetStatistics}. */
export function describeTargets(targets: readonly string[]): TargetStatistics {
  const count = (test: (target: string) => boolean) => targets.filter(test).length;
  return {
    targets: targets.length,
    bareLabel: count((target) => /^[\p{L}\s-]{1,24}:$/u.test(target)),
    linkOnly: count((target) => isLinkOnly(target)),
    bareFence: count((target) => /^```[\w-]*$/.test(target)),
    tiny: count((target) => target.length <= 5),
    distinct: new Set(targets).size,
    meanChars:
      targets.length === 0
        ? 0
        : Math.round(targets.reduce((sum, target) => sum + target.length, 0) / targets.length),
  };
}

/**
 * The target rule before meaningful sentences (first line, suggestion blocks as text), kept only
 * to show what the new rule changes in `npm run bench:fidelity` and its test.
 */
export function firstLineTarget(text: string): string {
  return (
    flattenSuggestions(text)
      .trim()
      .split("\n")
      .find((line) => line.trim().length > 0)
      ?.replace(/\s+/g, " ")
      .trim() ?? ""
  );
}
