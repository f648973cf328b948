import { check } from '../../../checks/monitoring/network-gateway-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.12', removable: 'DetachInternetGateway' });
