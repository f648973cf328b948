import { check } from '../../../checks/monitoring/console-login-without-mfa.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.2' });
