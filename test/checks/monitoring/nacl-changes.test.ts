import { check } from '../../../checks/monitoring/nacl-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.11', removable: 'ReplaceNetworkAclAssociation' });
