/** Builds the relay bundle unless it is up to date; resolves to the path of its main module. */
export function buildServer(options?: { force?: boolean }): Promise<string>;
