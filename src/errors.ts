// Errors are classes with a code and the exit code the CLI ends with; the message names the file, flag or
// call at fault and, where there is one, the fix.

export type ErrorCode =
  | 'TP_USAGE'
  | 'TP_CONFIG_INVALID'
  | 'TP_CONFIG_UNREADABLE'
  | 'TP_BUNDLE_UNREADABLE'
  | 'TP_BUNDLE_MANIFEST_INVALID'
  | 'TP_BUNDLE_MALFORMED'
  | 'TP_BUNDLE_TAMPERED'
  | 'TP_CHECK_UNKNOWN'
  | 'TP_CHECK_INVALID'
  | 'TP_RULE_INVALID'
  | 'TP_SCAN_FAILED'
  | 'TP_PLUGIN_INVALID'
  | 'TP_FRAMEWORK_UNKNOWN'
  | 'TP_OUTPUT_FAILED'
  | 'TP_EVIDENCE_INSUFFICIENT'
  | 'TP_SECURITY_HUB_FAILED'
  | 'TP_SIGNING_FAILED';

export class TrailproofError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: 2 | 3;

  constructor(code: ErrorCode, message: string, options: { exitCode?: 2 | 3; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrailproofError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
