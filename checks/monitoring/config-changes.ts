// CIS 4.9, one row of the table of monitoring controls (src/monitoring/controls.ts).
import { monitoringCheck } from '../../src/check-kit.js';

export const check = monitoringCheck('config-changes');
