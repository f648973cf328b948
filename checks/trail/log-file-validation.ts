import { defineCheck, locatedRef } from '../../src/check-kit.js';

export const check = defineCheck({
  meta: {
    id: 'trail.log-file-validation',
    title: 'Trails validate their log files',
    severity: 'medium',
    scope: 'trail',
    description: 'CloudTrail signs an hourly digest of the log files it delivered only when log file validation is on.',
    rationale:
      'Without digest files nobody can prove that a log file was not modified, deleted or forged after delivery; auditors ask for that proof.',
    remediation: {
      text: 'Turn on log file validation for the trail.',
      cli: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation',
      iac: 'AWS::CloudTrail::Trail EnableLogFileValidation: true',
    },
    defaultOptions: {},
    schema: { type: 'object', properties: {}, additionalProperties: false },
    messages: {
      on: 'Trail {{trail}} validates its log files.',
      off: 'Trail {{trail}} does not validate its log files: no digest files prove the logs intact.',
    },
  },
  run(estate, ctx) {
    return estate.trails.map((trail) => {
      const on = trail.config.LogFileValidationEnabled === true;
      return ctx.result(on ? 'PASS' : 'FAIL', {
        account: trail.ownerAccount,
        region: trail.homeRegion,
        resource: trail.arn,
        messageId: on ? 'on' : 'off',
        data: { trail: trail.name },
        evidence: [locatedRef(trail.entry, '/LogFileValidationEnabled')],
      });
    });
  },
});
