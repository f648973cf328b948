import { check } from '../../../checks/monitoring/iam-policy-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.4', removable: 'DetachGroupPolicy' });
