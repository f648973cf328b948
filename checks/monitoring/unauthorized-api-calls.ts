// CIS 4.1, one row of the table of monitoring controls (src/monitoring/controls.ts).
import { monitoringCheck } from '../../src/check-kit.js';

export const check = monitoringCheck('unauthorized-api-calls');
