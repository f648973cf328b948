import { check } from '../../../checks/monitoring/unauthorized-api-calls.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.1', missingCase: { pattern: '{ ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }', label: 'errorCode *UnauthorizedOperation' } });
