// A static SPA: the relay serves the fallback page and the client renders everything (DESIGN.md).
export const ssr = false;
export const prerender = false;
