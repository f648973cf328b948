// The parts of the AWS API responses trailproof reads, as the SDK for JavaScript v3 returns them (dates as
// ISO-8601 strings once stored). Every member is optional: evidence is data from outside and is checked
// where it is used.

export interface Trail {
  Name?: string;
  TrailARN?: string;
  HomeRegion?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  IsOrganizationTrail?: boolean;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
}
export interface DescribeTrailsResponse { trailList?: Trail[] }

export interface GetTrailStatusResponse {
  IsLogging?: boolean;
  LatestDeliveryError?: string;
  LatestNotificationError?: string;
  LatestDeliveryTime?: string;
  LatestNotificationTime?: string;
  StartLoggingTime?: string;
  StopLoggingTime?: string;
  LatestCloudWatchLogsDeliveryError?: string;
  LatestCloudWatchLogsDeliveryTime?: string;
  LatestDigestDeliveryTime?: string;
  LatestDigestDeliveryError?: string;
}

export interface DataResource { Type?: string; Values?: string[] }
export interface EventSelector {
  ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}
export interface AdvancedFieldSelector {
  Field?: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}
export interface AdvancedEventSelector { Name?: string; FieldSelectors?: AdvancedFieldSelector[] }
export interface GetEventSelectorsResponse {
  TrailARN?: string;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
}

export interface InsightSelector { InsightType?: 'ApiCallRateInsight' | 'ApiErrorRateInsight' }
export interface GetInsightSelectorsResponse {
  TrailARN?: string;
  InsightSelectors?: InsightSelector[];
  EventDataStoreArn?: string;
  InsightsDestination?: string;
}

export interface EventDataStore {
  EventDataStoreArn?: string;
  Name?: string;
  Status?: string;
  TerminationProtectionEnabled?: boolean;
  RetentionPeriod?: number;
  MultiRegionEnabled?: boolean;
  OrganizationEnabled?: boolean;
  KmsKeyId?: string;
  BillingMode?: string;
  AdvancedEventSelectors?: AdvancedEventSelector[];
}
export interface ListEventDataStoresResponse { EventDataStores?: EventDataStore[] }
export type GetEventDataStoreResponse = EventDataStore;

export interface Organization {
  Id?: string;
  Arn?: string;
  FeatureSet?: string;
  MasterAccountArn?: string;
  MasterAccountId?: string;
  MasterAccountEmail?: string;
}
export interface DescribeOrganizationResponse { Organization?: Organization }
export interface OrgAccount { Id?: string; Arn?: string; Name?: string; Email?: string; Status?: string; State?: string; JoinedMethod?: string; JoinedTimestamp?: string }
export interface ListAccountsResponse { Accounts?: OrgAccount[] }
export interface ListAWSServiceAccessForOrganizationResponse { EnabledServicePrincipals?: { ServicePrincipal?: string; DateEnabled?: string }[] }
export interface ListDelegatedAdministratorsResponse { DelegatedAdministrators?: { Id?: string; Name?: string; Status?: string }[] }

export interface Region { RegionName?: string; Endpoint?: string; OptInStatus?: string }
export interface DescribeRegionsResponse { Regions?: Region[] }

export interface GetBucketPolicyResponse { Policy?: string }
export interface GetBucketPolicyStatusResponse { PolicyStatus?: { IsPublic?: boolean } }
export interface PublicAccessBlockConfiguration {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}
export interface GetPublicAccessBlockResponse { PublicAccessBlockConfiguration?: PublicAccessBlockConfiguration }
export interface Grant { Grantee?: { Type?: string; URI?: string; ID?: string; DisplayName?: string; EmailAddress?: string }; Permission?: string }
export interface GetBucketAclResponse { Owner?: { ID?: string; DisplayName?: string }; Grants?: Grant[] }
export interface GetBucketVersioningResponse { Status?: 'Enabled' | 'Suspended'; MFADelete?: 'Enabled' | 'Disabled' }
export interface GetBucketLoggingResponse { LoggingEnabled?: { TargetBucket?: string; TargetPrefix?: string } }
export interface GetBucketEncryptionResponse {
  ServerSideEncryptionConfiguration?: { Rules?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }[] };
}
export interface LifecycleRuleFilter {
  Prefix?: string;
  Tag?: { Key?: string; Value?: string };
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: { Prefix?: string; Tags?: { Key?: string; Value?: string }[]; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
}
export interface LifecycleRule {
  ID?: string;
  Status?: 'Enabled' | 'Disabled';
  /** Legacy rule-level prefix (V1 lifecycle configuration). */
  Prefix?: string;
  Filter?: LifecycleRuleFilter;
  Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  Transitions?: { Days?: number; Date?: string; StorageClass?: string }[];
  NoncurrentVersionTransitions?: { NoncurrentDays?: number; StorageClass?: string; NewerNoncurrentVersions?: number }[];
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
}
export interface GetBucketLifecycleConfigurationResponse { Rules?: LifecycleRule[] }
export interface GetObjectLockConfigurationResponse {
  ObjectLockConfiguration?: {
    ObjectLockEnabled?: 'Enabled';
    Rule?: { DefaultRetention?: { Mode?: 'GOVERNANCE' | 'COMPLIANCE'; Days?: number; Years?: number } };
  };
}
export interface GetBucketLocationResponse { LocationConstraint?: string | null }

export interface KeyMetadata {
  KeyId?: string;
  Arn?: string;
  AWSAccountId?: string;
  KeyManager?: 'AWS' | 'CUSTOMER';
  KeyState?: string;
  KeySpec?: string;
  KeyUsage?: string;
  Origin?: string;
  DeletionDate?: string;
  MultiRegion?: boolean;
}
export interface DescribeKeyResponse { KeyMetadata?: KeyMetadata }
export interface GetKeyRotationStatusResponse { KeyRotationEnabled?: boolean; RotationPeriodInDays?: number; KeyId?: string }
export interface GetKeyPolicyResponse { Policy?: string; PolicyName?: string }

export interface LogGroup { logGroupName?: string; arn?: string; logGroupArn?: string; retentionInDays?: number; storedBytes?: number; kmsKeyId?: string; creationTime?: number }
export interface DescribeLogGroupsResponse { logGroups?: LogGroup[] }

/** A parsed IAM-style policy document (bucket or key policy). */
export interface PolicyStatement {
  Sid?: string;
  Effect?: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}
export interface PolicyDocument { Version?: string; Statement?: PolicyStatement | PolicyStatement[] }
