// For each SigmaHQ CloudTrail rule in shared/data: events written to the rule's intent (they must match)
// and near-misses (they must not), in the documented CloudTrail record shape.
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { ACCOUNT, assumedRole, ct, iamUser, root } from './records.js';

export interface RuleCases {
  match: CloudTrailRecord[];
  nearMiss: CloudTrailRecord[];
  /** Why the cases look the way they do, when the rule itself is unusual. */
  note?: string;
}

const S3_BROWSER = 'S3 Browser 11.6.7 https://s3browser.com';
const CONSOLE_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36';

function call(eventSource: string, eventName: string, extra: Partial<CloudTrailRecord> & Record<string, unknown> = {}): CloudTrailRecord {
  return ct({ eventSource, eventName, ...extra });
}

/** A pair that differs only in eventName: the rule's API and a harmless sibling of the same service. */
function api(eventSource: string, eventName: string, sibling: string): RuleCases {
  return { match: [call(eventSource, eventName)], nearMiss: [call(eventSource, sibling)] };
}

const denied = { errorCode: 'AccessDenied', errorMessage: `User: arn:aws:iam::${ACCOUNT}:user/winter is not authorized to perform this action` };

export const SIGMAHQ_CASES: Record<string, RuleCases> = {
  'aws_cloudtrail_bedrock_guardrail_deleted.yml': api('bedrock.amazonaws.com', 'DeleteGuardrail', 'GetGuardrail'),
  'aws_cloudtrail_bedrock_guardrail_updated.yml': api('bedrock.amazonaws.com', 'UpdateGuardrail', 'CreateGuardrail'),
  'aws_cloudtrail_bucket_deleted.yml': {
    match: [call('s3.amazonaws.com', 'DeleteBucket', { requestParameters: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' } })],
    nearMiss: [call('s3.amazonaws.com', 'DeleteBucket', { ...denied, requestParameters: { bucketName: 'example-prod-customer-data' } }), call('s3.amazonaws.com', 'CreateBucket')],
  },
  'aws_cloudtrail_console_login_failed_authentication.yml': {
    match: [call('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn', errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' } })],
    nearMiss: [call('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } })],
  },
  'aws_cloudtrail_console_login_success_without_mfa.yml': {
    note: 'CloudTrail writes MFAUsed "No"; the rule says "NO": matching is case-insensitive',
    match: [call('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn', userAgent: CONSOLE_UA, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' } })],
    nearMiss: [call('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MobileVersion: 'No', MFAUsed: 'Yes' } })],
  },
  'aws_cloudtrail_disable_logging.yml': {
    match: [call('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail` } }), call('cloudtrail.amazonaws.com', 'DeleteTrail')],
    nearMiss: [call('cloudtrail.amazonaws.com', 'StartLogging'), call('cloudtrail.amazonaws.com', 'LookupEvents')],
  },
  'aws_cloudtrail_guardduty_detector_deleted_or_updated.yml': {
    note: 'requestParameters.enable is the JSON boolean false; the rule compares the text "false"',
    match: [call('guardduty.amazonaws.com', 'UpdateDetector', { requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', enable: false } }), call('guardduty.amazonaws.com', 'DeleteDetector', { requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0' } })],
    nearMiss: [call('guardduty.amazonaws.com', 'UpdateDetector', { requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', enable: true } }), call('guardduty.amazonaws.com', 'DeleteDetector', denied)],
  },
  'aws_cloudtrail_imds_malicious_usage.yml': {
    match: [call('ec2.amazonaws.com', 'DescribeInstances', { userIdentity: { ...assumedRole('aws:ec2-instance', 'i-0123456789abcdef0'), arn: `arn:aws:sts::${ACCOUNT}:assumed-role/aws:ec2-instance/i-0123456789abcdef0` }, sourceIPAddress: '198.51.100.7' })],
    nearMiss: [
      call('ec2.amazonaws.com', 'DescribeInstances', { userIdentity: assumedRole('web-app', 'i-0123456789abcdef0') }),
      call('ssm.amazonaws.com', 'UpdateInstanceInformation', { userIdentity: { ...assumedRole('aws:ec2-instance', 'i-0123456789abcdef0'), arn: `arn:aws:sts::${ACCOUNT}:assumed-role/aws:ec2-instance/i-0123456789abcdef0` } }),
    ],
  },
  'aws_cloudtrail_new_acl_entries.yml': api('ec2.amazonaws.com', 'CreateNetworkAclEntry', 'DescribeNetworkAcls'),
  'aws_cloudtrail_new_route_added.yml': api('ec2.amazonaws.com', 'CreateRoute', 'DescribeRouteTables'),
  'aws_cloudtrail_pua_trufflehog.yml': {
    match: [call('sts.amazonaws.com', 'GetCallerIdentity', { userAgent: 'TruffleHog' }), call('s3.amazonaws.com', 'ListBuckets', { userAgent: 'trufflehog' })],
    nearMiss: [call('sts.amazonaws.com', 'GetCallerIdentity', { userAgent: 'TruffleHog/3.63.2 aws-sdk-go/1.50.0' })],
  },
  'aws_cloudtrail_region_enabled.yml': api('account.amazonaws.com', 'EnableRegion', 'ListRegions'),
  'aws_cloudtrail_security_group_change_ingress_egress.yml': {
    match: [call('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: { groupId: 'sg-0123456789abcdef0', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } } })],
    nearMiss: [call('ec2.amazonaws.com', 'DescribeSecurityGroups')],
  },
  'aws_cloudtrail_security_group_change_loadbalancer.yml': api('elasticloadbalancing.amazonaws.com', 'SetSecurityGroups', 'SetSubnets'),
  'aws_cloudtrail_security_group_change_rds.yml': api('rds.amazonaws.com', 'CreateDBSecurityGroup', 'DescribeDBSecurityGroups'),
  'aws_cloudtrail_ssm_malicious_usage.yml': {
    match: [call('ssm.amazonaws.com', 'SendCommand', { requestParameters: { instanceIds: ['i-0123456789abcdef0'], documentName: 'AWS-RunShellScript' } })],
    nearMiss: [call('ssm.amazonaws.com', 'SendCommand', denied), call('ssm.amazonaws.com', 'ListCommands')],
  },
  'aws_cloudtrail_vpc_flow_logs_deleted.yml': {
    match: [call('ec2.amazonaws.com', 'DeleteFlowLogs', { requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: 'fl-0123456789abcdef0' } } } })],
    nearMiss: [call('ec2.amazonaws.com', 'DeleteFlowLogs', { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' })],
  },
  'aws_config_disable_recording.yml': api('config.amazonaws.com', 'StopConfigurationRecorder', 'StartConfigurationRecorder'),
  'aws_console_getsignintoken.yml': {
    match: [call('signin.amazonaws.com', 'GetSigninToken', { userAgent: CONSOLE_UA, eventType: 'AwsConsoleSignIn' })],
    nearMiss: [call('signin.amazonaws.com', 'GetSigninToken', { userAgent: 'Jersey/${project.version} (HttpUrlConnection 17.0.8)' })],
  },
  'aws_delete_identity.yml': api('ses.amazonaws.com', 'DeleteIdentity', 'VerifyEmailIdentity'),
  'aws_delete_saml_provider.yml': {
    note: 'The rule reads a field "status" that raw CloudTrail records do not have (the linter flags it); it matches only records a pipeline enriched with status',
    match: [call('iam.amazonaws.com', 'DeleteSAMLProvider', { status: 'success', requestParameters: { sAMLProviderArn: `arn:aws:iam::${ACCOUNT}:saml-provider/okta` } })],
    nearMiss: [call('iam.amazonaws.com', 'DeleteSAMLProvider', { requestParameters: { sAMLProviderArn: `arn:aws:iam::${ACCOUNT}:saml-provider/okta` } })],
  },
  'aws_disable_bucket_versioning.yml': {
    match: [call('s3.amazonaws.com', 'PutBucketVersioning', { requestParameters: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com', versioning: '', VersioningConfiguration: { Status: 'Suspended', xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' } } })],
    nearMiss: [call('s3.amazonaws.com', 'PutBucketVersioning', { requestParameters: { bucketName: 'example-prod-customer-data', versioning: '', VersioningConfiguration: { Status: 'Enabled' } } })],
  },
  'aws_ec2_disable_encryption.yml': api('ec2.amazonaws.com', 'DisableEbsEncryptionByDefault', 'EnableEbsEncryptionByDefault'),
  'aws_ec2_import_key_pair_activity.yml': api('ec2.amazonaws.com', 'ImportKeyPair', 'CreateKeyPair'),
  'aws_ec2_startup_script_change.yml': {
    match: [call('ec2.amazonaws.com', 'ModifyInstanceAttribute', { requestParameters: { instanceId: 'i-0123456789abcdef0', attribute: 'userData', userData: '<sensitiveDataRemoved>' } })],
    nearMiss: [call('ec2.amazonaws.com', 'ModifyInstanceAttribute', { requestParameters: { instanceId: 'i-0123456789abcdef0', attribute: 'instanceType', instanceType: { value: 'm5.large' } } })],
  },
  'aws_ec2_vm_export_failure.yml': {
    match: [call('ec2.amazonaws.com', 'CreateInstanceExportTask', { requestParameters: { instanceId: 'i-0123456789abcdef0', targetEnvironment: 'vmware' }, responseElements: { exportTask: { exportTaskId: 'export-i-0123', state: 'active' } } })],
    nearMiss: [call('ec2.amazonaws.com', 'CreateInstanceExportTask', { errorCode: 'Client.NotExportable', errorMessage: 'The instance is not exportable' })],
  },
  'aws_ecs_task_definition_cred_endpoint_query.yml': {
    note: 'containerDefinitions and command are arrays: any element matches',
    match: [call('ecs.amazonaws.com', 'RegisterTaskDefinition', { requestParameters: { family: 'probe', containerDefinitions: [{ name: 'app', image: 'nginx' }, { name: 'probe', image: 'curlimages/curl', command: ['/bin/sh', '-c', 'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] }] } })],
    nearMiss: [call('ecs.amazonaws.com', 'RegisterTaskDefinition', { requestParameters: { family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', command: ['nginx', '-g', 'daemon off;'] }] } })],
  },
  'aws_efs_fileshare_modified_or_deleted.yml': api('elasticfilesystem.amazonaws.com', 'DeleteFileSystem', 'CreateFileSystem'),
  'aws_efs_fileshare_mount_modified_or_deleted.yml': api('elasticfilesystem.amazonaws.com', 'DeleteMountTarget', 'CreateMountTarget'),
  'aws_eks_cluster_created_or_deleted.yml': api('eks.amazonaws.com', 'DeleteCluster', 'DescribeCluster'),
  'aws_elasticache_security_group_created.yml': api('elasticache.amazonaws.com', 'CreateCacheSecurityGroup', 'DescribeCacheSecurityGroups'),
  'aws_elasticache_security_group_modified_or_deleted.yml': api('elasticache.amazonaws.com', 'AuthorizeCacheSecurityGroupIngress', 'CreateCacheSecurityGroup'),
  'aws_enum_buckets.yml': {
    match: [call('s3.amazonaws.com', 'ListBuckets', { userIdentity: iamUser('winter') })],
    nearMiss: [call('s3.amazonaws.com', 'ListBuckets', { userIdentity: assumedRole() })],
  },
  'aws_guardduty_disruption.yml': api('guardduty.amazonaws.com', 'CreateIPSet', 'ListIPSets'),
  'aws_iam_backdoor_users_keys.yml': {
    note: 'The filter compares the ARN with the literal text "responseElements.accessKey.userName" (no |fieldref), so it never excludes; the linter warns',
    match: [call('iam.amazonaws.com', 'CreateAccessKey', { requestParameters: { userName: 'bob' }, responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLEBOB', status: 'Active', userName: 'bob', createDate: 'Sep 14, 2026 3:32:07 AM' } } })],
    nearMiss: [call('iam.amazonaws.com', 'ListAccessKeys', { requestParameters: { userName: 'bob' } })],
  },
  'aws_iam_s3browser_loginprofile_creation.yml': {
    match: [call('iam.amazonaws.com', 'CreateLoginProfile', { userAgent: S3_BROWSER, requestParameters: { userName: 'bob', passwordResetRequired: false } })],
    nearMiss: [call('iam.amazonaws.com', 'CreateLoginProfile', { requestParameters: { userName: 'bob', passwordResetRequired: true } })],
  },
  'aws_iam_s3browser_templated_s3_bucket_policy_creation.yml': {
    note: 'policyDocument is a JSON string inside requestParameters: the quoted fragments are found in it without JSON escaping',
    match: [
      call('iam.amazonaws.com', 'PutUserPolicy', {
        userAgent: S3_BROWSER,
        requestParameters: { userName: 'bob', policyName: 'S3Browser', policyDocument: '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::<YOUR-BUCKET-NAME>/*"]}]\n}' },
      }),
    ],
    nearMiss: [
      call('iam.amazonaws.com', 'PutUserPolicy', {
        userAgent: S3_BROWSER,
        requestParameters: { userName: 'bob', policyName: 'S3Browser', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::example-reports/*"]}]}' },
      }),
    ],
  },
  'aws_iam_s3browser_user_or_accesskey_creation.yml': {
    match: [call('iam.amazonaws.com', 'CreateUser', { userAgent: S3_BROWSER, requestParameters: { userName: 'backdoor' } })],
    nearMiss: [call('iam.amazonaws.com', 'CreateUser', { userAgent: CONSOLE_UA, requestParameters: { userName: 'backdoor' } })],
  },
  'aws_kms_import_key_material.yml': api('kms.amazonaws.com', 'ImportKeyMaterial', 'CreateKey'),
  'aws_lambda_function_url.yml': api('lambda.amazonaws.com', 'CreateFunctionUrlConfig', 'GetFunctionUrlConfig'),
  'aws_new_lambda_layer_attached.yml': {
    note: 'Lambda eventNames carry an API version suffix; the rule uses startswith',
    match: [call('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { requestParameters: { functionName: 'billing', layers: [`arn:aws:lambda:us-east-1:${ACCOUNT}:layer:shim:3`] } })],
    nearMiss: [call('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { requestParameters: { functionName: 'billing', timeout: 30 } })],
  },
  'aws_passed_role_to_glue_development_endpoint.yml': api('glue.amazonaws.com', 'CreateDevEndpoint', 'GetDevEndpoint'),
  'aws_rds_change_master_password.yml': {
    match: [call('rds.amazonaws.com', 'ModifyDBInstance', { requestParameters: { dBInstanceIdentifier: 'orders', masterUserPassword: '****' }, responseElements: { dBInstanceIdentifier: 'orders', pendingModifiedValues: { masterUserPassword: '****' } } })],
    nearMiss: [call('rds.amazonaws.com', 'ModifyDBInstance', { requestParameters: { dBInstanceIdentifier: 'orders', allocatedStorage: 200 }, responseElements: { dBInstanceIdentifier: 'orders', pendingModifiedValues: {} } })],
  },
  'aws_rds_dbcluster_actions.yml': api('rds.amazonaws.com', 'DeleteDBCluster', 'DescribeDBClusters'),
  'aws_rds_public_db_restore.yml': {
    match: [call('rds.amazonaws.com', 'RestoreDBInstanceFromDBSnapshot', { responseElements: { dBInstanceIdentifier: 'orders-copy', publiclyAccessible: true } })],
    nearMiss: [call('rds.amazonaws.com', 'RestoreDBInstanceFromDBSnapshot', { responseElements: { dBInstanceIdentifier: 'orders-copy', publiclyAccessible: false } })],
  },
  'aws_root_account_usage.yml': {
    match: [call('signin.amazonaws.com', 'ConsoleLogin', { userIdentity: root(), eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' } })],
    nearMiss: [call('trustedadvisor.amazonaws.com', 'RefreshCheck', { userIdentity: root(), eventType: 'AwsServiceEvent' }), call('signin.amazonaws.com', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn' })],
  },
  'aws_route_53_domain_transferred_lock_disabled.yml': api('route53.amazonaws.com', 'DisableDomainTransferLock', 'EnableDomainTransferLock'),
  'aws_route_53_domain_transferred_to_another_account.yml': api('route53.amazonaws.com', 'TransferDomainToAnotherAwsAccount', 'ListDomains'),
  'aws_s3_data_management_tampering.yml': api('s3.amazonaws.com', 'PutBucketLogging', 'GetBucketLogging'),
  'aws_securityhub_finding_evasion.yml': api('securityhub.amazonaws.com', 'BatchUpdateFindings', 'GetFindings'),
  'aws_snapshot_backup_exfiltration.yml': api('ec2.amazonaws.com', 'ModifySnapshotAttribute', 'DescribeSnapshotAttribute'),
  'aws_sso_idp_change.yml': api('sso-directory.amazonaws.com', 'DisableExternalIdPConfigurationForDirectory', 'DescribeDirectory'),
  'aws_sts_assumerole_misuse.yml': {
    match: [call('s3.amazonaws.com', 'ListBuckets', { userIdentity: assumedRole() })],
    nearMiss: [call('s3.amazonaws.com', 'ListBuckets', { userIdentity: iamUser() })],
  },
  'aws_sts_getcalleridentity_trufflehog.yml': {
    match: [call('sts.amazonaws.com', 'GetCallerIdentity', { userAgent: 'TruffleHog aws-sdk-go/1.50.0' })],
    nearMiss: [call('sts.amazonaws.com', 'GetCallerIdentity')],
  },
  'aws_sts_getsessiontoken_misuse.yml': {
    match: [call('sts.amazonaws.com', 'GetSessionToken', { userIdentity: iamUser() })],
    nearMiss: [call('sts.amazonaws.com', 'GetSessionToken', { userIdentity: assumedRole() })],
  },
  'aws_susp_saml_activity.yml': {
    match: [call('sts.amazonaws.com', 'AssumeRoleWithSAML', { userIdentity: { type: 'SAMLUser', principalId: 'okta:winter', userName: 'winter', identityProvider: 'okta' } }), call('iam.amazonaws.com', 'UpdateSAMLProvider')],
    nearMiss: [call('sts.amazonaws.com', 'AssumeRole'), call('iam.amazonaws.com', 'ListSAMLProviders')],
  },
  'aws_update_login_profile.yml': {
    match: [call('iam.amazonaws.com', 'UpdateLoginProfile', { requestParameters: { userName: 'bob', passwordResetRequired: false } })],
    nearMiss: [call('iam.amazonaws.com', 'GetLoginProfile', { requestParameters: { userName: 'bob' } })],
  },
};
