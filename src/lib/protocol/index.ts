/**
 * Issue 13: the wire contract between the app and the relay — zod schemas of every `/api/*`
 * request body and answer, the websocket's own messages and the format versions. The relay
 * builds its answers with these (server/http/common.ts `answer`); the app parses them with the
 * relay client (`./client`). Screens import the module of their own answers (and load it with
 * the screen: `lazy`), never this index, which holds them all.
 */
export * from './versions';
export * from './common';
export * from './auth';
export * from './cases';
export * from './calendar';
export * from './settings';
export * from './quarantine';
export * from './reports';
export * from './roster';
export * from './org-work';
export * from './orgs';
export * from './health';
export * from './ws';
