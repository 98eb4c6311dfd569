export * from './aggregate';
export * from './roster';
export * from './summary';
