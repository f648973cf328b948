import { check } from '../../../checks/monitoring/cloudtrail-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.5', removable: 'StopLogging' });
