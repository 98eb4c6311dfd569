export * from './primitives';
export * from './org';
export * from './student';
export * from './legacy-ids';
export * from './events';
export * from './snapshot';
export * from './factory';
export * from './person-checks';
