import { check } from '../../../checks/monitoring/console-auth-failures.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.6' });
