import { check } from '../../../checks/monitoring/cmk-disable-or-deletion.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.7', removable: 'ScheduleKeyDeletion' });
