// The check kit: everything a check needs, from one module (published as `trailproof/check`). A check is
// `defineCheck({ meta, run })`; `run` reads the evidence model (Estate) and returns results through its context,
// citing the responses it read with the read and locate helpers, about subjects built by the subject helpers so
// that findings line up across checks. Per-account trail checks decide through `accountVerdicts`, which turns
// judged trails into one verdict per account and never reports "could not tell" (a `CouldNotTell`: a call that
// failed, or one the bundle does not hold) as "no trail qualifies". Built-in checks import only from here and
// from their own folder; plugins do the same. The kit re-exports, so the engine and checks share one definition.

// The shape of a check and its context.
export { defineCheck, formatMessage } from './engine/check.js';
export type { AnyCheck, Check, CheckContext, CheckMeta, CheckResult, CheckScope, ResultInput, Subject } from './engine/check.js';

// Subjects: what a result is about.
export { accountSubject, bucketSubject, trailSubject } from './engine/subjects.js';

// Per-account verdicts over the trails that record an account.
export { accountVerdicts, decideTrails, judgeLogging, judgeSelectors, noRegionsResult } from './engine/account-verdict.js';
export type { AccountTrailRequirement, CouldNotTell, TrailDecision, TrailJudgement, TrailsKnownWhen } from './engine/account-verdict.js';

// Reading evidence and citing it.
export { describeUnusable, evidenceRef, readRef } from './evidence/bundle.js';
export type { Read, Source } from './evidence/bundle.js';
export { locatedRef } from './evidence/estate.js';
export type { AccountModel, AccountRegion, BucketModel, Estate, KeyModel, Located, LogGroupModel, OrganizationModel, TrailModel } from './evidence/estate.js';
// The AWS responses the bundle holds, by name and as one namespace.
export type * from './evidence/aws.js';
export type * as Aws from './evidence/aws.js';
export type { EvidenceRef, LogKeysTrust, Severity, Status } from './model/types.js';

// What the evidence means, shared by several checks.
export { dataCoverage, managementCoverage } from './evidence/selectors.js';
export type { CoverageLevel, DataCoverage, ManagementCoverage } from './evidence/selectors.js';
export { deliveryAge, formatHours, hoursBeforeCollection, roundHours } from './evidence/time.js';
export type { DeliveryAge } from './evidence/time.js';
export {
  blockPublicAccessComplete, cloudTrailWriteGrants, parsePolicy, publicAclGrants, publicPolicyStatements, secureTransport, statementPointer, statementsOf,
} from './evidence/s3-policy.js';
export { lifecycleViolations, logPrefixOf, ruleCoversPrefix } from './evidence/s3-lifecycle.js';
export type { LifecycleViolation } from './evidence/s3-lifecycle.js';

// The CIS monitoring checks: one factory over the table of controls (src/monitoring/controls.ts).
export { monitoringCheck } from './monitoring/check.js';

// Testing a check: RuleTester-style cases (mocha).
export { describeCheck, runCheckCase } from './check-tester.js';
export type { CheckCase, CheckCases } from './check-tester.js';
