import { check } from '../../../checks/monitoring/s3-bucket-policy-changes.js';
import { describeMonitoringCheck } from '../../monitoring/harness.js';

describeMonitoringCheck({ check, control: '4.8', removable: 'PutBucketCors' });
