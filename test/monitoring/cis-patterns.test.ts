import { expect } from 'chai';
import { CIS_CONTROLS, cisControl, implementsPattern } from '../../src/monitoring/cis-patterns.js';
import { FilterPatternError } from '../../src/monitoring/filter-pattern.js';
import { CIS_FILTERS } from '../../scripts/demo-org/monitoring.js';

/** The v3.0-era texts as printed (4.10 without ModifySecurityGroupRules), beside the demo organization's. */
const V3_SECURITY_GROUPS = CIS_FILTERS.SecurityGroupChanges;

describe('CIS monitoring controls as canonical events', () => {
  it('covers 4.1 to 4.15, each with positives and negatives', () => {
    expect(Object.keys(CIS_CONTROLS)).to.have.members(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    for (const c of Object.values(CIS_CONTROLS)) {
      expect(c.positives.length, c.control).to.be.greaterThan(0);
      expect(c.negatives.length, c.control).to.be.greaterThan(0);
      expect(new Set(c.positives.map((p) => p.label)).size, c.control).to.equal(c.positives.length);
    }
  });

  it('judges each benchmark pattern text exact', () => {
    for (const c of Object.values(CIS_CONTROLS)) expect(implementsPattern(c.pattern, c), c.control).to.deep.equal({ verdict: 'exact', missed: [], extra: [] });
  });

  it('judges the published CIS filters of the demo organization exact (4.1 to 4.9)', () => {
    const pairs: [string, string][] = [
      ['4.1', CIS_FILTERS.UnauthorizedAPICalls], ['4.2', CIS_FILTERS.ConsoleSigninWithoutMFA], ['4.3', CIS_FILTERS.RootAccountUsage],
      ['4.4', CIS_FILTERS.IAMPolicyChanges], ['4.5', CIS_FILTERS.CloudTrailChanges], ['4.6', CIS_FILTERS.ConsoleAuthenticationFailures],
      ['4.7', CIS_FILTERS.DisableOrDeleteCMK], ['4.8', CIS_FILTERS.S3BucketPolicyChanges], ['4.9', CIS_FILTERS.AWSConfigChanges],
    ];
    for (const [control, text] of pairs) expect(implementsPattern(text, cisControl(control)).verdict, control).to.equal('exact');
  });

  it('misses ModifySecurityGroupRules with the v3-era security group filter', () => {
    expect(implementsPattern(V3_SECURITY_GROUPS, cisControl('4.10'))).to.deep.equal({ verdict: 'misses', missed: ['ModifySecurityGroupRules'], extra: [] });
  });

  it('accepts a reordered, requoted filter as exact', () => {
    const text = '{($.eventName="StopLogging")||($.eventName="StartLogging")||($.eventName="DeleteTrail")||($.eventName="UpdateTrail")||($.eventName="CreateTrail")}';
    expect(implementsPattern(text, cisControl('4.5')).verdict).to.equal('exact');
  });

  it('calls a filter that also matches read calls broader, and names what it adds', () => {
    const text = '{ $.eventSource = "cloudtrail.amazonaws.com" }';
    expect(implementsPattern(text, cisControl('4.5'))).to.deep.equal({ verdict: 'broader', missed: [], extra: ['DescribeTrails', 'LookupEvents'] });
  });

  it('names the event a filter misses', () => {
    const text = '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }';
    expect(implementsPattern(text, cisControl('4.7'))).to.deep.equal({ verdict: 'misses', missed: ['ScheduleKeyDeletion'], extra: [] });
  });

  it('judges 4.1 by meaning: a wildcard on AccessDenied alone misses UnauthorizedOperation', () => {
    const r = implementsPattern('{ $.errorCode = "AccessDenied*" }', cisControl('4.1'));
    expect(r.verdict).to.equal('misses');
    expect(r.missed).to.deep.equal(['errorCode *UnauthorizedOperation']);
  });

  it('throws a FilterPatternError naming the filter for an unreadable pattern', () => {
    expect(() => implementsPattern('{ $.eventName = ', cisControl('4.5'), 'TrailChanges')).to.throw(FilterPatternError, /Metric filter TrailChanges/);
  });
});
