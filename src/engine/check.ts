// The shape of a check, in the style of an ESLint rule: a `meta` block (docs, parameters as a JSON Schema
// with defaults, message templates by id) and one pure function from the evidence model to results.
import { describeUnusable, readRef, type Read } from '../evidence/bundle.js';
import type { Estate } from '../evidence/estate.js';
import type { EvidenceRef, Severity, Status } from '../model/types.js';

/** What a check's results are about, for the catalog and the reports. */
export type CheckScope = 'account' | 'account-region' | 'trail' | 'trail-key' | 'bucket' | 'log-group' | 'event-data-store';

export interface CheckMeta<Options extends object = Record<string, never>, MessageId extends string = string> {
  /** Equals the module's path under checks/: checks/trail/multi-region.ts is `trail.multi-region`. */
  id: string;
  /** A state, not an instruction: "Trails validate their log files". */
  title: string;
  severity: Severity;
  scope: CheckScope;
  description: string;
  rationale: string;
  remediation: { text: string; cli?: string; iac?: string };
  /**
   * Framework requirement ids. Built-in checks leave this out: their mappings are written once, in
   * checks/frameworks/*.json. A plugin may cite requirements of those frameworks here.
   */
  frameworks?: Record<string, string[]>;
  defaultOptions: Options;
  /** JSON Schema (draft-07) for the options, validated with ajv; config keys live under checks.<id>. */
  schema: Record<string, unknown>;
  messages: Record<MessageId, string>;
}

/** A result as a check returns it; the engine stamps id, title, severity, frameworks and remediation. */
export interface CheckResult {
  status: Exclude<Status, 'WAIVED'>;
  account: string;
  region: string;
  resource: string;
  message: string;
  evidence: EvidenceRef[];
  details?: Record<string, unknown>;
}

/**
 * The one "could not tell": a read that kept us from knowing, because the call failed (denied, throttled ...) or
 * the bundle does not hold it. Every check reports it as ERROR (or MANUAL for an account outside the collected
 * scope), never as a FAIL or PASS.
 */
export type CouldNotTell = Exclude<Read<unknown>, { kind: 'ok' }>;

export interface Subject {
  account: string;
  region: string;
  resource: string;
}

export interface ResultInput<MessageId extends string> extends Subject {
  messageId: MessageId;
  data?: Record<string, string | number | boolean>;
  evidence?: EvidenceRef[];
  details?: Record<string, unknown>;
}

export interface CheckContext<Options extends object, MessageId extends string> {
  /** The evidence's collection time: the "now" of every time-relative judgement. */
  readonly collectedAt: Date;
  readonly options: Options;
  result(status: Exclude<Status, 'WAIVED'>, input: ResultInput<MessageId>): CheckResult;
  /** ERROR for an input call that failed or was not collected, naming the call (file) and error. */
  error(read: CouldNotTell, subject: Subject, what?: string): CheckResult;
  /** MANUAL because the resource lives in an account whose evidence was not collected. */
  notCollected(subject: Subject, what: string): CheckResult;
}

export interface Check<Options extends object = Record<string, never>, MessageId extends string = string> {
  meta: CheckMeta<Options, MessageId>;
  run(estate: Estate, ctx: CheckContext<Options, MessageId>): CheckResult[];
}

/** Exists for type inference: message ids and option types are checked by the compiler. */
export function defineCheck<Options extends object, MessageId extends string>(check: Check<Options, MessageId>): Check<Options, MessageId> {
  return check;
}

/** A check with its types erased, as the engine holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheck = Check<any, string>;

export function formatMessage(template: string, data: Record<string, string | number | boolean> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

export function createContext<Options extends object, MessageId extends string>(
  meta: CheckMeta<Options, MessageId>,
  options: Options,
  collectedAt: Date,
): CheckContext<Options, MessageId> {
  return {
    collectedAt,
    options,
    result(status, input) {
      const template = meta.messages[input.messageId];
      if (template === undefined) throw new Error(`check ${meta.id} used unknown message id "${input.messageId}"`);
      const result: CheckResult = {
        status,
        account: input.account,
        region: input.region,
        resource: input.resource,
        message: formatMessage(template, input.data),
        evidence: input.evidence ?? [],
      };
      if (input.details !== undefined) result.details = input.details;
      return result;
    },
    error(read, subject, what) {
      return {
        status: 'ERROR',
        ...subject,
        message: `${what === undefined ? '' : `${what}: `}${describeUnusable(read)}`,
        evidence: readRef(read),
      };
    },
    notCollected(subject, what) {
      return {
        status: 'MANUAL',
        ...subject,
        message: `${what} was not collected (it lives in an account outside the collected scope); verify it by hand or collect that account`,
        evidence: [],
      };
    },
  };
}
