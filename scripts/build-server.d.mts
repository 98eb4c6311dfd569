/** Builds the relay bundle unless it is up to date; resolves to the path of its main module. */
export function buildServer(options?: { force?: boolean }): Promise<string>;
/** V8 flags the relay runs with (issue 14); RELAY_NODE_FLAGS in the environment overrides. */
export const RELAY_NODE_FLAGS: string[];
