import { check } from '../../../checks/monitoring/root-usage.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.3', missingCase: { pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && $.eventName != "ConsoleLogin" }', label: 'root ConsoleLogin' } });
