export * from './book';
export * from './opportunity';
