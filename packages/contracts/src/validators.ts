import { BookSnapshot } from './book-snapshot';
import { ExecutionReport } from './execution-report';
import { FeedStatus } from './feed-status';
import { Opportunity } from './opportunity';
import { RuntimeConfig } from './runtime-config';
import { createValidator } from './validator';

/** Compiled validators for every bus message; each compiles lazily on first use. */
export const validators = {
  BookSnapshot: createValidator(BookSnapshot),
  FeedStatus: createValidator(FeedStatus),
  Opportunity: createValidator(Opportunity),
  ExecutionReport: createValidator(ExecutionReport),
  RuntimeConfig: createValidator(RuntimeConfig),
} as const;
