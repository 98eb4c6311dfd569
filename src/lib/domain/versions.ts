/**
 * Issue 13: the version of every format two parties exchange, in one place. Plain constants (no
 * schema library), so the app shell and the sync layer stamp them without loading zod.
 */

/** Format version of a case snapshot. */
export const SNAPSHOT_FORMAT = 1;
/** Schema version stamped on every event. */
export const EVENT_SCHEMA_VERSION = 1;
/** Version of the relay's own websocket messages (`accepted`, `refused`). */
export const PROTOCOL_VERSION = 1;
/** Version of the `/api/settings` and `/api/retention/run` answers (`v`, issue 11). */
export const SETTINGS_API_VERSION = 1;
/** Version of the `/api/quarantine` answer (`v`). */
export const QUARANTINE_LIST_VERSION = 1;
