/** The file beside build/ that records what a build was made from (issue 14). */
export const STAMP_FILE: string;
/** What the SPA is built from, relative to the project. */
export const APP_SOURCES: readonly string[];
/** A hash of the contents and names of every source file of the SPA. */
export function sourceHash(root?: string): string;
/** A hash of `buildDir`'s index.html (another build writes another one). */
export function indexHash(buildDir: string): string;
/** The stamp of `buildDir` (kept beside it), or null. */
export function readStamp(
	buildDir: string
): { version?: unknown; mode?: unknown; sources?: unknown; index?: unknown } | null;
/** Why build/ must be rebuilt before it is served, or null when it is current. */
export function staleReason(root?: string, buildDir?: string): string | null;
/** A production vite build, stamped; returns the exit status. */
export function buildApp(root?: string): number;
