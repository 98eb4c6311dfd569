export type * from './types';
export { openSqliteStorage, SCHEMA_VERSION, SQLITE_TABLES } from './sqlite';
export { restoreBackup, RestoreError } from './backup';
