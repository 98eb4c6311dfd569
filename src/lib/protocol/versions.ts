/** Issue 13: the versions of the exchanged formats, one place (src/lib/domain/versions.ts). */
export {
	EVENT_SCHEMA_VERSION,
	PROTOCOL_VERSION,
	QUARANTINE_LIST_VERSION,
	SETTINGS_API_VERSION,
	SNAPSHOT_FORMAT
} from '../domain/versions';
