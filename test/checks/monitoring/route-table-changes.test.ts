import { check } from '../../../checks/monitoring/route-table-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.13', removable: 'DisassociateRouteTable' });
