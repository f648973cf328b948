import { check } from '../../../checks/monitoring/security-group-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.10', removable: 'ModifySecurityGroupRules' });
