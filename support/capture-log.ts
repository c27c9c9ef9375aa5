import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

/** A real pino logger whose lines are kept, so tests can read what would have been logged. */
export function captureLog(level = "debug"): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}
