import { check } from '../../../checks/monitoring/config-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.9', removable: 'StopConfigurationRecorder' });
