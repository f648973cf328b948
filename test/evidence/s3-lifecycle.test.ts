import { expect } from 'chai';
import type { LifecycleRule } from '../../src/evidence/aws.js';
import { lifecycleViolations, logPrefixOf, ruleCoversPrefix } from '../../src/evidence/s3-lifecycle.js';

const collectedAt = new Date('2026-01-01T00:00:00Z');
const opts = { logPrefix: 'AWSLogs/', minRetentionDays: 365, minHotDays: 90, collectedAt };

function rule(extra: Partial<LifecycleRule>): LifecycleRule {
  return { ID: 'logs', Status: 'Enabled', Filter: { Prefix: '' }, ...extra };
}

describe('s3-lifecycle', () => {
  describe('logPrefixOf', () => {
    it('is AWSLogs/ for a trail without a key prefix', () => {
      expect(logPrefixOf(undefined)).to.equal('AWSLogs/');
      expect(logPrefixOf('')).to.equal('AWSLogs/');
    });

    it('puts the trail key prefix in front, without doubling a trailing slash', () => {
      expect(logPrefixOf('cloudtrail')).to.equal('cloudtrail/AWSLogs/');
      expect(logPrefixOf('cloudtrail/')).to.equal('cloudtrail/AWSLogs/');
    });
  });

  describe('ruleCoversPrefix', () => {
    it('covers with an empty or absent prefix', () => {
      expect(ruleCoversPrefix(rule({ Filter: {} }), 'AWSLogs/')).to.equal(true);
      expect(ruleCoversPrefix(rule({ Filter: { Prefix: '' } }), 'AWSLogs/')).to.equal(true);
      expect(ruleCoversPrefix({ ID: 'x', Status: 'Enabled' }, 'AWSLogs/')).to.equal(true);
    });

    it('covers with a prefix above or inside the log prefix, not beside it', () => {
      expect(ruleCoversPrefix(rule({ Filter: { Prefix: 'AWSLogs/' } }), 'AWSLogs/')).to.equal(true);
      expect(ruleCoversPrefix(rule({ Filter: { Prefix: 'AWSLogs/111122223333/' } }), 'AWSLogs/')).to.equal(true);
      expect(ruleCoversPrefix(rule({ Filter: { Prefix: 'other/' } }), 'AWSLogs/')).to.equal(false);
    });

    it('reads the legacy rule-level Prefix', () => {
      const { Filter: _f, ...legacy } = rule({});
      expect(ruleCoversPrefix({ ...legacy, Prefix: 'AWSLogs/' }, 'AWSLogs/')).to.equal(true);
      expect(ruleCoversPrefix({ ...legacy, Prefix: 'tmp/' }, 'AWSLogs/')).to.equal(false);
    });

    it('reads And.Prefix and ignores size filters', () => {
      expect(ruleCoversPrefix(rule({ Filter: { And: { Prefix: 'AWSLogs/', ObjectSizeGreaterThan: 128 } } }), 'AWSLogs/')).to.equal(true);
      expect(ruleCoversPrefix(rule({ Filter: { And: { Prefix: 'other/', Tags: [] } } }), 'AWSLogs/')).to.equal(false);
      expect(ruleCoversPrefix(rule({ Filter: { ObjectSizeLessThan: 1024 } }), 'AWSLogs/')).to.equal(true);
    });

    it('never covers with a tag filter, alone or in And', () => {
      expect(ruleCoversPrefix(rule({ Filter: { Tag: { Key: 'class', Value: 'tmp' } } }), 'AWSLogs/')).to.equal(false);
      expect(ruleCoversPrefix(rule({ Filter: { And: { Prefix: 'AWSLogs/', Tags: [{ Key: 'class', Value: 'tmp' }] } } }), 'AWSLogs/')).to.equal(false);
    });

    it('follows a prefixed trail', () => {
      const logPrefix = logPrefixOf('cloudtrail');
      expect(ruleCoversPrefix(rule({ Filter: { Prefix: 'cloudtrail/' } }), logPrefix)).to.equal(true);
      expect(ruleCoversPrefix(rule({ Filter: { Prefix: 'AWSLogs/' } }), logPrefix)).to.equal(false);
    });
  });

  describe('lifecycleViolations', () => {
    it('accepts expiration after exactly the minimum retention', () => {
      expect(lifecycleViolations([rule({ Expiration: { Days: 365 } })], opts)).to.deep.equal([]);
    });

    it('reports expiration one day short of the minimum', () => {
      expect(lifecycleViolations([rule({ ID: 'expire-old', Expiration: { Days: 364 } })], opts)).to.deep.equal([{
        ruleIndex: 0, ruleId: 'expire-old', kind: 'expiration', days: 364, pointer: '/Rules/0/Expiration',
        detail: 'rule "expire-old" expires log objects after 364 days (minimum 365)',
      }]);
    });

    it('accepts an expiration date at collection plus the minimum, and reports one a day earlier', () => {
      expect(lifecycleViolations([rule({ Expiration: { Date: '2027-01-01T00:00:00.000Z' } })], opts)).to.deep.equal([]);
      const found = lifecycleViolations([rule({ Expiration: { Date: '2026-12-31T00:00:00.000Z' } })], opts);
      expect(found).to.have.length(1);
      expect(found[0]).to.include({ kind: 'expiration', date: '2026-12-31T00:00:00.000Z', pointer: '/Rules/0/Expiration' });
      expect(found[0]?.detail).to.contain('kept until 2027-01-01');
    });

    it('reports an expiration date that cannot be read', () => {
      expect(lifecycleViolations([rule({ Expiration: { Date: 'soon' } })], opts).map((v) => v.kind)).to.deep.equal(['expiration']);
    });

    it('checks noncurrent version expiration against the minimum retention', () => {
      expect(lifecycleViolations([rule({ NoncurrentVersionExpiration: { NoncurrentDays: 365 } })], opts)).to.deep.equal([]);
      expect(lifecycleViolations([rule({ NoncurrentVersionExpiration: { NoncurrentDays: 364 } })], opts)).to.deep.include({
        ruleIndex: 0, ruleId: 'logs', kind: 'noncurrent-expiration', days: 364, pointer: '/Rules/0/NoncurrentVersionExpiration',
        detail: 'rule "logs" permanently deletes noncurrent log object versions 364 days after they become noncurrent (minimum 365)',
      });
    });

    it('reports a move to GLACIER or DEEP_ARCHIVE before the minimum readable days', () => {
      const found = lifecycleViolations([rule({ Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 89, StorageClass: 'GLACIER' }, { Days: 60, StorageClass: 'DEEP_ARCHIVE' }] })], opts);
      expect(found.map((v) => [v.pointer, v.storageClass, v.days])).to.deep.equal([
        ['/Rules/0/Transitions/1', 'GLACIER', 89],
        ['/Rules/0/Transitions/2', 'DEEP_ARCHIVE', 60],
      ]);
      expect(found[0]?.detail).to.equal('rule "logs" moves log objects to GLACIER, where they cannot be read without a restore, after 89 days (minimum 90 days readable)');
    });

    it('accepts a move to GLACIER after exactly the minimum readable days', () => {
      expect(lifecycleViolations([rule({ Transitions: [{ Days: 90, StorageClass: 'GLACIER' }] })], opts)).to.deep.equal([]);
    });

    it('accepts early moves to classes that stay immediately readable', () => {
      const transitions = ['GLACIER_IR', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING'].map((StorageClass) => ({ Days: 0, StorageClass }));
      expect(lifecycleViolations([rule({ Transitions: transitions })], opts)).to.deep.equal([]);
    });

    it('reports a transition date before collection plus the minimum readable days', () => {
      expect(lifecycleViolations([rule({ Transitions: [{ Date: '2026-04-01T00:00:00.000Z', StorageClass: 'GLACIER' }] })], opts)).to.deep.equal([]);
      const found = lifecycleViolations([rule({ Transitions: [{ Date: '2026-03-31T00:00:00.000Z', StorageClass: 'DEEP_ARCHIVE' }] })], opts);
      expect(found.map((v) => [v.kind, v.date, v.storageClass])).to.deep.equal([['transition', '2026-03-31T00:00:00.000Z', 'DEEP_ARCHIVE']]);
    });

    it('reports a move to a storage class it does not know', () => {
      expect(lifecycleViolations([rule({ Transitions: [{ Days: 1, StorageClass: 'FUTURE_COLD' }] })], opts).map((v) => v.storageClass)).to.deep.equal(['FUTURE_COLD']);
    });

    it('ignores delete-marker cleanup and multipart upload aborts', () => {
      expect(lifecycleViolations([rule({ Expiration: { ExpiredObjectDeleteMarker: true }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } })], opts)).to.deep.equal([]);
    });

    it('ignores disabled rules, tag-filtered rules and rules for other prefixes', () => {
      const rules: LifecycleRule[] = [
        rule({ Status: 'Disabled', Expiration: { Days: 1 } }),
        rule({ Filter: { Tag: { Key: 'class', Value: 'tmp' } }, Expiration: { Days: 1 } }),
        rule({ Filter: { And: { Prefix: '', Tags: [{ Key: 'class', Value: 'tmp' }] } }, Expiration: { Days: 1 } }),
        rule({ Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }),
      ];
      expect(lifecycleViolations(rules, opts)).to.deep.equal([]);
    });

    it('reports a legacy-prefix rule and an And-prefix rule by their index', () => {
      const rules: LifecycleRule[] = [
        { Status: 'Enabled', Prefix: 'AWSLogs/', Expiration: { Days: 30 } },
        rule({ ID: 'big', Filter: { And: { Prefix: 'AWSLogs/111122223333/', ObjectSizeGreaterThan: 1024 } }, Expiration: { Days: 30 } }),
      ];
      const found = lifecycleViolations(rules, opts);
      expect(found.map((v) => [v.ruleIndex, v.ruleId])).to.deep.equal([[0, undefined], [1, 'big']]);
      expect(found[0]).to.not.have.property('ruleId');
      expect(found[0]?.detail).to.equal('rule 0 (no ID) expires log objects after 30 days (minimum 365)');
    });

    it('judges rules against a prefixed trail', () => {
      const rules: LifecycleRule[] = [
        rule({ ID: 'root-logs', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 30 } }),
        rule({ ID: 'trail-logs', Filter: { Prefix: 'cloudtrail/AWSLogs/' }, Expiration: { Days: 30 } }),
      ];
      const found = lifecycleViolations(rules, { ...opts, logPrefix: logPrefixOf('cloudtrail') });
      expect(found.map((v) => v.ruleId)).to.deep.equal(['trail-logs']);
    });
  });
});
