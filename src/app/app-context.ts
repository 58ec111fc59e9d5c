import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Db, DatabaseKind } from '../db/database.js';
import type { Clock } from '../domain/shared/clock.js';
import type { Messaging } from './messaging/messaging.js';

/** Everything a use case may touch outside the domain, handed in by the composition root. */
export interface AppContext {
  db: Db;
  dbKind: DatabaseKind;
  clock: Clock;
  config: Config;
  logger: Logger;
  messaging: Messaging;
  newId(): string;
}
