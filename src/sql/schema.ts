// The tables the SQL engines query, as data: the column names and types of the CloudTrail table AWS
// documents for Athena (lower-case names, nested records as structs, the free-form request and response
// documents as JSON text) and of a CloudTrail Lake event data store (camel-case names, the documents as
// string maps). The SQL compiler resolves a Sigma field path against these; the Athena DDL is written from
// them, so the table trailproof creates is the table it compiles for.

export type ColumnType =
  | { kind: 'string' }
  /** JSON text: a document whose inner paths are read with json_extract_scalar. */
  | { kind: 'json' }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  /** A map of texts (element_at); a deeper path reads the entry as JSON text. */
  | { kind: 'map' }
  | { kind: 'struct'; fields: Column[] }
  | { kind: 'array'; element: ColumnType };

export interface Column {
  /** The record's own (camel-case) key, as Sigma rules name it. */
  name: string;
  /** The column or struct field name in SQL. */
  sql: string;
  type: ColumnType;
}

const STRING: ColumnType = { kind: 'string' };
const JSON_TEXT: ColumnType = { kind: 'json' };

function lower(name: string, type: ColumnType = STRING): Column {
  return { name, sql: name.toLowerCase(), type };
}

function struct(fields: Column[]): ColumnType {
  return { kind: 'struct', fields };
}

const strings = (...names: string[]): Column[] => names.map((n) => lower(n));

/** The CloudTrail table of the Athena documentation ("Create the table for CloudTrail logs in Athena using partition projection"). */
export const ATHENA_COLUMNS: readonly Column[] = [
  lower('eventVersion'),
  lower(
    'userIdentity',
    struct([
      ...strings('type', 'principalId', 'arn', 'accountId', 'invokedBy', 'accessKeyId', 'userName'),
      lower('onBehalfOf', struct(strings('userId', 'identityStoreArn'))),
      lower(
        'sessionContext',
        struct([
          lower('attributes', struct(strings('mfaAuthenticated', 'creationDate'))),
          lower('sessionIssuer', struct(strings('type', 'principalId', 'arn', 'accountId', 'userName'))),
          lower('ec2RoleDelivery'),
          // Not in the documented DDL: the source identity a role session carries (rules on sts:SourceIdentity read it).
          lower('sourceIdentity'),
          lower('webIdFederationData', struct([lower('federatedProvider'), lower('attributes', { kind: 'map' })])),
        ]),
      ),
    ]),
  ),
  ...strings('eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage'),
  lower('requestParameters', JSON_TEXT),
  lower('responseElements', JSON_TEXT),
  lower('additionalEventData', JSON_TEXT),
  ...strings('requestID', 'eventID', 'readOnly'),
  lower('resources', { kind: 'array', element: struct(strings('ARN', 'accountId', 'type')) }),
  ...strings('eventType', 'apiVersion'),
  // Not in the documented DDL, but in every record and read by rules (management vs data events).
  lower('managementEvent'),
  lower('recipientAccountId'),
  lower('serviceEventDetails', JSON_TEXT),
  ...strings('sharedEventID', 'vpcEndpointId', 'vpcEndpointAccountId', 'eventCategory'),
  lower('addendum', struct(strings('reason', 'updatedFields', 'originalRequestID', 'originalEventID'))),
  lower('sessionCredentialFromConsole'),
  lower('edgeDeviceDetails', JSON_TEXT),
  lower('tlsDetails', struct(strings('tlsVersion', 'cipherSuite', 'clientProvidedHostHeader'))),
];

function camel(name: string, type: ColumnType = STRING): Column {
  return { name, sql: name, type };
}

const camels = (...names: string[]): Column[] => names.map((n) => camel(n));

/** A CloudTrail Lake event data store of CloudTrail events (its documented schema). */
export const LAKE_COLUMNS: readonly Column[] = [
  camel('eventVersion'),
  camel(
    'userIdentity',
    struct([
      ...camels('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName', 'invokedBy', 'identityProvider', 'credentialId'),
      camel(
        'sessionContext',
        struct([
          camel('attributes', struct(camels('creationDate', 'mfaAuthenticated'))),
          camel('sessionIssuer', struct(camels('type', 'principalId', 'arn', 'accountId', 'userName'))),
          camel('webIdFederationData', struct([camel('federatedProvider'), camel('attributes', { kind: 'map' })])),
          camel('sourceIdentity'),
          camel('ec2RoleDelivery'),
          camel('ec2IssuedInVPC'),
        ]),
      ),
      camel('onBehalfOf', struct(camels('userId', 'identityStoreArn'))),
    ]),
  ),
  camel('eventTime', { kind: 'timestamp' }),
  ...camels('eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage'),
  camel('requestParameters', { kind: 'map' }),
  camel('responseElements', { kind: 'map' }),
  camel('additionalEventData', { kind: 'map' }),
  ...camels('requestID', 'eventID'),
  camel('readOnly', { kind: 'boolean' }),
  camel('resources', { kind: 'array', element: struct(camels('type', 'ARN', 'accountId')) }),
  ...camels('eventType', 'apiVersion'),
  camel('managementEvent', { kind: 'boolean' }),
  ...camels('recipientAccountId', 'sharedEventID', 'annotation', 'vpcEndpointId', 'vpcEndpointAccountId'),
  camel('serviceEventDetails', { kind: 'map' }),
  camel('addendum', struct(camels('reason', 'updatedFields', 'originalRequestID', 'originalEventID'))),
  camel('edgeDeviceDetails'),
  camel('eventCategory'),
  camel('tlsDetails', struct(camels('tlsVersion', 'cipherSuite', 'clientProvidedHostHeader'))),
  camel('sessionCredentialFromConsole'),
];

/** The Hive type of a column as the Athena DDL writes it. */
export function hiveType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
    case 'timestamp':
      return 'STRING';
    case 'boolean':
      return 'BOOLEAN';
    case 'map':
      return 'MAP<STRING,STRING>';
    case 'array':
      return `ARRAY<${hiveType(type.element)}>`;
    case 'struct':
      return `STRUCT<${type.fields.map((f) => `${f.sql}: ${hiveType(f.type)}`).join(', ')}>`;
  }
}
