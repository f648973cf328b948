// Reads S3 bucket policies and ACLs the way the log-bucket checks need them: who may use the bucket, whether
// plain HTTP is refused, and whether CloudTrail's write grant is bound to a trail or account. Pure functions
// over parsed evidence; they judge statements one by one and never evaluate a request.
import { errorMessage } from '../errors.js';
import { wildcardMatch } from '../wildcard.js';
import type {
  GetBucketAclResponse,
  PolicyDocument,
  PolicyStatement,
  PublicAccessBlockConfiguration,
} from './aws.js';

export function parsePolicy(text: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`bucket policy is not valid JSON: ${errorMessage(err)}`, { cause: err });
  }
  if (!isObject(parsed)) throw new Error('bucket policy is not a policy document: expected a JSON object');
  const statement = parsed['Statement'];
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  const bad = statements.findIndex((s) => !isObject(s));
  if (bad >= 0) throw new Error(`bucket policy is not a policy document: Statement ${bad} is not a JSON object`);
  return parsed as PolicyDocument;
}

export function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  const s = doc.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

/** The JSON Pointer of statement `index` in the parsed document ("/Statement" when it is a single object). */
export function statementPointer(doc: PolicyDocument, index: number): string {
  return Array.isArray(doc.Statement) ? `/Statement/${index}` : '/Statement';
}

export interface PublicFinding { index: number; sid?: string; reason: string }

// Keys whose fixed value narrows a statement to known networks, accounts, organizations or sources.
const RESTRICTING_KEYS = [
  'aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOwner', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:SourceIp',
  'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn',
  'aws:PrincipalServiceName', 'aws:userid', 'aws:username', 's3:DataAccessPointAccount', 's3:DataAccessPointArn',
];

/** Allow statements that anyone (anonymous callers included) may use. */
export function publicPolicyStatements(doc: PolicyDocument): PublicFinding[] {
  const findings: PublicFinding[] = [];
  statementsOf(doc).forEach((stmt, index) => {
    if (!isEffect(stmt, 'Allow')) return;
    const who = stmt.NotPrincipal !== undefined
      ? 'every principal not named in NotPrincipal'
      : hasWildcardPrincipal(stmt) ? 'everyone (Principal "*")' : undefined;
    if (who === undefined || restrictingKeys(stmt, RESTRICTING_KEYS).length > 0) return;
    const actions = stmt.Action !== undefined
      ? list(stmt.Action).join(', ')
      : `every action except ${list(stmt.NotAction).join(', ')}`;
    const finding: PublicFinding = { index, reason: `allows ${actions} to ${who} with no condition that restricts the caller` };
    if (stmt.Sid !== undefined) finding.sid = stmt.Sid;
    findings.push(finding);
  });
  return findings;
}

export interface AclFinding { grantee: 'AllUsers' | 'AuthenticatedUsers'; permission: string }

const PUBLIC_GROUPS: Record<string, AclFinding['grantee']> = {
  'http://acs.amazonaws.com/groups/global/allusers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/authenticatedusers': 'AuthenticatedUsers',
};

export function publicAclGrants(acl: GetBucketAclResponse): AclFinding[] {
  const findings: AclFinding[] = [];
  for (const grant of acl.Grants ?? []) {
    const uri = grant.Grantee?.URI?.trim().toLowerCase().replace(/^https:/, 'http:');
    const grantee = uri === undefined ? undefined : PUBLIC_GROUPS[uri];
    if (grantee !== undefined) findings.push({ grantee, permission: grant.Permission ?? 'unknown' });
  }
  return findings;
}

const BLOCK_SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** A missing configuration (NoSuchPublicAccessBlockConfiguration) leaves all four settings off. */
export function blockPublicAccessComplete(c: PublicAccessBlockConfiguration | undefined): { complete: boolean; off: string[] } {
  const off = BLOCK_SETTINGS.filter((name) => c?.[name] !== true);
  return { complete: off.length === 0, off: [...off] };
}

export interface SecureTransport { deniesInsecure: boolean; pointer?: string }

/**
 * Whether one Deny statement refuses every request made without TLS to the bucket's objects. A statement
 * with further conditions only denies some insecure requests, so it does not count. Pass `bucket` to judge
 * Resource and NotResource against that bucket; without it a Resource ARN must cover its own bucket's objects
 * and NotResource cannot be judged.
 */
export function secureTransport(doc: PolicyDocument, bucket?: string): SecureTransport {
  const index = statementsOf(doc).findIndex((stmt) =>
    isEffect(stmt, 'Deny')
    && stmt.NotPrincipal === undefined
    && hasWildcardPrincipal(stmt)
    && allowsOrDenies(stmt, 's3:GetObject') && allowsOrDenies(stmt, 's3:PutObject')
    && coversObjects(stmt, bucket)
    && deniesOnlyInsecure(stmt));
  return index < 0 ? { deniesInsecure: false } : { deniesInsecure: true, pointer: statementPointer(doc, index) };
}

export interface WriteGrant { index: number; sid?: string; bound: boolean; by?: string }

const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';
// Without one of these a grant lets any trail of any account write into the bucket (confused deputy).
const BINDING_KEYS = ['aws:SourceArn', 'aws:SourceAccount'];

export function cloudTrailWriteGrants(doc: PolicyDocument): WriteGrant[] {
  const grants: WriteGrant[] = [];
  statementsOf(doc).forEach((stmt, index) => {
    if (!isEffect(stmt, 'Allow') || !allowsOrDenies(stmt, 's3:PutObject')) return;
    const principal = stmt.Principal;
    if (!isObject(principal)) return;
    const services = Object.entries(principal)
      .filter(([type]) => type.toLowerCase() === 'service')
      .flatMap(([, v]) => list(v).map((s) => s.toLowerCase()));
    if (!services.includes(CLOUDTRAIL_PRINCIPAL)) return;
    const by = restrictingKeys(stmt, BINDING_KEYS)[0];
    const grant: WriteGrant = { index, bound: by !== undefined };
    if (stmt.Sid !== undefined) grant.sid = stmt.Sid;
    if (by !== undefined) grant.by = by;
    grants.push(grant);
  });
  return grants;
}

// ---- statement helpers ----

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function isEffect(stmt: PolicyStatement, effect: 'Allow' | 'Deny'): boolean {
  return typeof stmt.Effect === 'string' && stmt.Effect.toLowerCase() === effect.toLowerCase();
}

/** Principal "*" or any principal type listing "*" ({"AWS": "*"}, {"AWS": ["*"]}). */
function hasWildcardPrincipal(stmt: PolicyStatement): boolean {
  const p = stmt.Principal;
  if (p === '*') return true;
  return isObject(p) && Object.values(p).some((v) => list(v).includes('*'));
}

/** IAM's `*` and `?`, matched without a regular expression: a policy in evidence is input (src/wildcard.ts). */
function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  return wildcardMatch(pattern, value, { ignoreCase });
}

/** Whether the statement's Action (or NotAction) takes in `action`; actions compare case-insensitively. */
function allowsOrDenies(stmt: PolicyStatement, action: string): boolean {
  if (stmt.Action !== undefined) return list(stmt.Action).some((p) => globMatches(p, action, true));
  if (stmt.NotAction !== undefined) return !list(stmt.NotAction).some((p) => globMatches(p, action, true));
  return false;
}

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
// Object ARNs a pattern must match to cover every object: the empty key and ordinary keys.
const PROBE_KEYS = ['', 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/x.json.gz', 'z'];

function objectArns(bucket: string): string[][] {
  return PARTITIONS.map((p) => PROBE_KEYS.map((key) => `arn:${p}:s3:::${bucket}/${key}`));
}

function coversObjects(stmt: PolicyStatement, bucket: string | undefined): boolean {
  const coversAll = (pattern: string, b: string): boolean =>
    objectArns(b).some((arns) => arns.every((arn) => globMatches(pattern, arn, false)));
  if (stmt.Resource !== undefined) {
    return list(stmt.Resource).some((pattern) => {
      // Without a bucket name, judge the pattern against the bucket it names (or a sample one for "arn:aws:s3:::*").
      const b = bucket ?? /^arn:[^:]*:s3:::([^/*?]+)/.exec(pattern)?.[1] ?? 'amzn-s3-demo-bucket';
      return coversAll(pattern, b);
    });
  }
  if (stmt.NotResource !== undefined && bucket !== undefined) {
    return !list(stmt.NotResource).some((pattern) => objectArns(bucket).flat().some((arn) => globMatches(pattern, arn, false)));
  }
  return false;
}

/** The statement's only condition is Bool (or BoolIfExists) aws:SecureTransport = false. */
function deniesOnlyInsecure(stmt: PolicyStatement): boolean {
  const entries = conditionEntries(stmt);
  return entries.length > 0 && entries.every(({ operator, key, values }) =>
    ['bool', 'boolifexists'].includes(operator.toLowerCase())
    && key.toLowerCase() === 'aws:securetransport'
    && values.some((v) => v.toLowerCase() === 'false'));
}

interface ConditionEntry { operator: string; key: string; values: string[] }

function conditionEntries(stmt: PolicyStatement): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(stmt.Condition ?? {})) {
    if (!isObject(block)) continue;
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
      entries.push({ operator, key, values });
    }
  }
  return entries;
}

// Operators that only match when the request carries a matching value. Negated operators (StringNotEquals ...),
// Null, ...IfExists and ForAllValues: all let a request without the key through, so they restrict no one.
const MATCHING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress']);

function restricts(operator: string): boolean {
  const op = operator.toLowerCase();
  if (op.startsWith('forallvalues:') || op.endsWith('ifexists')) return false;
  return MATCHING_OPERATORS.has(op.replace(/^foranyvalue:/, ''));
}

/** A value that lets anything through: only wildcards ("*", "*?*"), or the whole address space. */
function isOpenValue(value: string): boolean {
  const v = value.trim();
  return (v.includes('*') && v.replace(/[*?]/g, '') === '') || v === '0.0.0.0/0' || v === '::/0';
}

/** The keys of `wanted` (as spelled there) that the statement's conditions pin to specific values. */
function restrictingKeys(stmt: PolicyStatement, wanted: string[]): string[] {
  const found = new Set<string>();
  for (const { operator, key, values } of conditionEntries(stmt)) {
    const name = wanted.find((w) => w.toLowerCase() === key.toLowerCase());
    if (name !== undefined && restricts(operator) && values.length > 0 && !values.some(isOpenValue)) found.add(name);
  }
  return wanted.filter((w) => found.has(w));
}
