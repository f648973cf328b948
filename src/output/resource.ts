// What a result or detection is about, as the code-scanning and Security Hub formats name it: the service and
// resource path of an ARN (or, for a bare name, the service the check's family audits), a stable artifact path
// `aws/<account>/<region>/<service>/<resource>` for SARIF, and the resource the detection's event touched.
// One reading shared by sarif.ts and asff.ts, so both formats name the same resource the same way.
import type { Detection, Result } from '../model/types.js';

/** The service a check family audits, for a result whose resource is a bare name rather than an ARN. */
const FAMILY_SERVICE: Record<string, string> = { trail: 'cloudtrail', bucket: 's3', retention: 's3', kms: 'kms', logs: 'logs', monitoring: 'cloudwatch', org: 'organizations', account: 'account' };

export interface AwsResource {
  /** The ARN when the resource is one, else the name as the result gives it. */
  id: string;
  arn: string | undefined;
  service: string;
  /** The resource part of the ARN (`trail/org-trail`, `bucket-name`), or the bare name. */
  path: string;
}

export function parseArn(value: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(value);
  if (!m) return undefined;
  return { partition: m[1] as string, service: m[2] as string, region: m[3] as string, account: m[4] as string, resource: m[5] as string };
}

export function resultResource(r: Pick<Result, 'checkId' | 'resource'>): AwsResource {
  const arn = parseArn(r.resource);
  if (arn) return { id: r.resource, arn: r.resource, service: arn.service, path: arn.resource };
  const family = r.checkId.split('.')[0] ?? r.checkId;
  return { id: r.resource, arn: undefined, service: FAMILY_SERVICE[family] ?? family, path: r.resource };
}

/** The resource a detection's event touched (its first resource ARN), else the actor who acted. */
export function detectionResource(d: Detection): AwsResource {
  const resources = Array.isArray(d['resources']) ? (d['resources'] as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  const first = resources.find((a) => parseArn(a) !== undefined);
  const service = d.eventSource.replace(/\.amazonaws\.com$/, '') || 'cloudtrail';
  if (first !== undefined) {
    const arn = parseArn(first);
    return { id: first, arn: first, service: arn?.service ?? service, path: arn?.resource ?? first };
  }
  const actor = parseArn(d.actor);
  return actor ? { id: d.actor, arn: d.actor, service: actor.service, path: actor.resource } : { id: d.actor, arn: undefined, service: 'iam', path: d.actor || 'unknown-actor' };
}

/** A relative, URI-safe artifact path that names the resource the same way every run: aws/<account>/<region>/<service>/<resource>. */
export function artifactPath(account: string, region: string, resource: AwsResource): string {
  const segments = [account || 'unknown-account', region || 'global', resource.service, ...resource.path.split(/[/:]/).filter((s) => s !== '')];
  return ['aws', ...segments.map((s) => encodeURIComponent(s))].join('/');
}
