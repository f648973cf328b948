import { check } from '../../../checks/monitoring/organizations-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.15', removable: 'UpdatePolicy' });
