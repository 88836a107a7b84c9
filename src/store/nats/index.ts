export { openEventLog, deleteEventLog } from './event-log.js';
export type { EventLog, EventLogOptions, LogMessage, Publisher } from './event-log.js';
