/**
 * Issue 13: the websocket messages moved to `src/lib/protocol/ws.ts`. This re-export stays for
 * the benches (bench/* is not ours to edit in this change); nothing in src/ or server/ imports it.
 */
export * from '../protocol/ws';
