export * from './aggregate';
export * from './roster';
export * from './summary';
export * from './case-row';
export * from './list-row';
