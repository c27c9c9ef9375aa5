import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The project's shared data: `shared/` beside the clone, or where SHARED_DIR points. */
export const sharedDir = process.env.SHARED_DIR ?? resolve(import.meta.dirname, "../../shared");

/**
 * A file of the shared data, for `npm run test:data` and the benches: it is not in the
 * repository (the recorded review history may not be copied into it), so a missing file is an
 * error that says where it was looked for and how to point there, never a skip.
 */
export function locateSharedData(relative: string): string {
  const path = resolve(sharedDir, relative);
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: it is the project's shared data, not in the repository; put shared/ beside the clone or set SHARED_DIR to the folder that holds ${relative}`,
    );
  }
  return path;
}
