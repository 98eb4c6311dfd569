export type * from './types';
export { openSqliteStorage, SCHEMA_VERSION, SQLITE_TABLES, sqliteTablesAt } from './sqlite';
export { restoreBackup, RestoreError } from './backup';
