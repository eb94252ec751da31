export * from './book';
export * from './opportunity';
export * from './partition';
