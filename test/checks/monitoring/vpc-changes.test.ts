import { check } from '../../../checks/monitoring/vpc-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.14', removable: 'EnableVpcClassicLink' });
