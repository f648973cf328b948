import { notYet } from '../command.js';

export const command = notYet('scan', 'Run the event-history rules over CloudTrail events', 'the event-history rule engine is being built');
