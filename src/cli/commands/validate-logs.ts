import { notYet } from '../command.js';

export const command = notYet('validate-logs', 'Verify CloudTrail log-file integrity from digest files', 'log-file integrity validation is being built');
