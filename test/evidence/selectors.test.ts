import { expect } from 'chai';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector, GetEventSelectorsResponse } from '../../src/evidence/aws.js';
import { dataCoverage, managementCoverage } from '../../src/evidence/selectors.js';

const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail';

// Shaped as GetEventSelectors returns them: the default selector carries empty lists, not absent members.
function basic(...selectors: EventSelector[]): GetEventSelectorsResponse {
  return {
    TrailARN: TRAIL_ARN,
    EventSelectors: selectors.map((s) => ({ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [], ...s })),
  };
}
function advanced(...selectors: AdvancedEventSelector[]): GetEventSelectorsResponse {
  return { TrailARN: TRAIL_ARN, AdvancedEventSelectors: selectors };
}
const management = (name: string, ...extra: AdvancedFieldSelector[]): AdvancedEventSelector => ({
  Name: name,
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...extra],
});
const data = (name: string, type: string, ...extra: AdvancedFieldSelector[]): AdvancedEventSelector => ({
  Name: name,
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: [type] }, ...extra],
});

describe('managementCoverage', () => {
  describe('basic event selectors', () => {
    it('reads the default selector (All, management on) as complete', () => {
      const cov = managementCoverage(basic({}));
      expect(cov).to.deep.equal({
        read: true,
        write: true,
        excludedSources: [],
        complete: true,
        detail: 'records read and write management events',
        pointers: ['/EventSelectors/0'],
      });
    });

    it('treats absent ReadWriteType and IncludeManagementEvents as AWS defaults (All, true)', () => {
      const cov = managementCoverage({ TrailARN: TRAIL_ARN, EventSelectors: [{}] });
      expect(cov.complete).to.equal(true);
    });

    it('reads ReadOnly as read-only management events', () => {
      const cov = managementCoverage(basic({ ReadWriteType: 'ReadOnly' }));
      expect([cov.read, cov.write, cov.complete]).to.deep.equal([true, false, false]);
      expect(cov.detail).to.equal('records read-only management events');
    });

    it('reads WriteOnly as write-only management events', () => {
      const cov = managementCoverage(basic({ ReadWriteType: 'WriteOnly' }));
      expect([cov.read, cov.write, cov.complete]).to.deep.equal([false, true, false]);
      expect(cov.detail).to.equal('records write-only management events');
    });

    it('records no management events when IncludeManagementEvents is false, whatever the selector is called', () => {
      const cov = managementCoverage(basic({
        IncludeManagementEvents: false,
        DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
      }));
      expect(cov).to.deep.equal({
        read: false,
        write: false,
        excludedSources: [],
        complete: false,
        detail: 'records no management events',
        pointers: [],
      });
    });

    it('lists excluded KMS and RDS Data API sources and is then not complete', () => {
      const cov = managementCoverage(basic({ ExcludeManagementEventSources: ['rdsdata.amazonaws.com', 'kms.amazonaws.com'] }));
      expect(cov.excludedSources).to.deep.equal(['kms.amazonaws.com', 'rdsdata.amazonaws.com']);
      expect(cov.complete).to.equal(false);
      expect(cov.detail).to.equal(
        'records read and write management events but excludes kms.amazonaws.com and rdsdata.amazonaws.com',
      );
    });

    it('counts a ReadOnly and a WriteOnly selector together as complete', () => {
      const cov = managementCoverage(basic({ ReadWriteType: 'ReadOnly' }, { ReadWriteType: 'WriteOnly' }));
      expect(cov.complete).to.equal(true);
      expect(cov.pointers).to.deep.equal(['/EventSelectors/0', '/EventSelectors/1']);
    });

    it('does not count an exclusion that another selector recording the same kind does not make', () => {
      const cov = managementCoverage(basic(
        { ReadWriteType: 'WriteOnly', ExcludeManagementEventSources: ['kms.amazonaws.com'] },
        { ReadWriteType: 'All' },
      ));
      expect(cov.excludedSources).to.deep.equal([]);
      expect(cov.complete).to.equal(true);
    });

    it('keeps an exclusion that holds for every selector recording that kind, naming the kind', () => {
      const cov = managementCoverage(basic(
        { ReadWriteType: 'ReadOnly', ExcludeManagementEventSources: ['kms.amazonaws.com'] },
        { ReadWriteType: 'WriteOnly' },
      ));
      expect(cov.excludedSources).to.deep.equal(['kms.amazonaws.com']);
      expect(cov.complete).to.equal(false);
      expect(cov.detail).to.equal('records read and write management events but excludes kms.amazonaws.com from read events');
    });

    it('keeps only the sources every selector of a kind excludes', () => {
      const cov = managementCoverage(basic(
        { ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
        { ExcludeManagementEventSources: ['kms.amazonaws.com'] },
      ));
      expect(cov.excludedSources).to.deep.equal(['kms.amazonaws.com']);
    });

    it('does not read an unknown ReadWriteType as complete', () => {
      const cov = managementCoverage(basic({ ReadWriteType: 'Everything' as 'All' }));
      expect(cov.complete).to.equal(false);
      expect(cov.detail).to.contain('ReadWriteType "Everything"');
    });
  });

  describe('advanced event selectors', () => {
    it('reads a management selector without readOnly as complete', () => {
      const cov = managementCoverage(advanced(management('Management events selector')));
      expect(cov).to.deep.equal({
        read: true,
        write: true,
        excludedSources: [],
        complete: true,
        detail: 'records read and write management events',
        pointers: ['/AdvancedEventSelectors/0'],
      });
    });

    it('reads readOnly Equals true as read-only and Equals false as write-only', () => {
      const readOnly = managementCoverage(advanced(management('all', { Field: 'readOnly', Equals: ['true'] })));
      const writeOnly = managementCoverage(advanced(management('all', { Field: 'readOnly', Equals: ['false'] })));
      expect([readOnly.read, readOnly.write]).to.deep.equal([true, false]);
      expect([writeOnly.read, writeOnly.write]).to.deep.equal([false, true]);
      expect(writeOnly.detail).to.equal('records write-only management events');
    });

    it('reads readOnly NotEquals true as write-only', () => {
      const cov = managementCoverage(advanced(management('m', { Field: 'readOnly', NotEquals: ['true'] })));
      expect([cov.read, cov.write]).to.deep.equal([false, true]);
    });

    it('counts split readOnly true and false management selectors as complete', () => {
      const cov = managementCoverage(advanced(
        management('Read management events', { Field: 'readOnly', Equals: ['true'] }),
        data('S3', 'AWS::S3::Object'),
        management('Write management events', { Field: 'readOnly', Equals: ['false'] }),
      ));
      expect(cov.complete).to.equal(true);
      expect(cov.pointers).to.deep.equal(['/AdvancedEventSelectors/0', '/AdvancedEventSelectors/2']);
    });

    it('lists sources excluded by eventSource NotEquals', () => {
      const cov = managementCoverage(advanced(
        management('Log all management events', { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }),
      ));
      expect(cov.excludedSources).to.deep.equal(['kms.amazonaws.com']);
      expect(cov.complete).to.equal(false);
      expect(cov.detail).to.equal('records read and write management events but excludes kms.amazonaws.com');
    });

    it('judges by fields, not by a name that promises everything', () => {
      const cov = managementCoverage(advanced(management('Log all management events', { Field: 'readOnly', Equals: ['true'] })));
      expect(cov.complete).to.equal(false);
      expect(cov.write).to.equal(false);
    });

    it('treats any other field on a management selector as a narrowing, named in detail', () => {
      const cov = managementCoverage(advanced(management('m', { Field: 'eventName', NotEquals: ['ConsoleLogin'] })));
      expect([cov.read, cov.write, cov.complete]).to.deep.equal([true, true, false]);
      expect(cov.excludedSources).to.deep.equal(['eventName NotEquals ConsoleLogin']);
      expect(cov.detail).to.equal('records read and write management events but is narrowed by eventName NotEquals ConsoleLogin');
    });

    it('does not let a source exclusion and another narrowing cancel out, since their overlap is still left out', () => {
      const cov = managementCoverage(advanced(
        management('a', { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }),
        management('b', { Field: 'eventName', NotEquals: ['Decrypt'] }),
      ));
      expect(cov.complete).to.equal(false);
      expect(cov.excludedSources).to.deep.equal(['eventName NotEquals Decrypt', 'kms.amazonaws.com']);
    });

    it('lets an unnarrowed selector cover what another one narrows', () => {
      const cov = managementCoverage(advanced(
        management('a', { Field: 'eventName', NotEquals: ['Decrypt'] }),
        management('b'),
      ));
      expect(cov.complete).to.equal(true);
    });

    it('never reads an empty Equals list as complete', () => {
      const cov = managementCoverage(advanced({ Name: 'm', FieldSelectors: [{ Field: 'eventCategory', Equals: [] }] }));
      expect(cov.complete).to.equal(false);
      expect(cov.excludedSources).to.deep.equal(['eventCategory Equals (empty list)']);
    });

    it('never reads a selector without eventCategory as complete', () => {
      const cov = managementCoverage(advanced({ Name: 'Log all management events', FieldSelectors: [] }));
      expect(cov.complete).to.equal(false);
    });

    it('ignores data selectors', () => {
      const cov = managementCoverage(advanced(data('S3', 'AWS::S3::Object')));
      expect([cov.read, cov.write, cov.pointers]).to.deep.equal([false, false, []]);
    });

    it('reads the advanced list when a response carries both lists', () => {
      const cov = managementCoverage({ ...basic({}), ...advanced(data('S3', 'AWS::S3::Object')) });
      expect(cov.read).to.equal(false);
      expect(cov.detail).to.contain('basic event selectors in the same response were not counted');
    });
  });

  it('says an empty response records no management events', () => {
    for (const resp of [{}, { TrailARN: TRAIL_ARN, EventSelectors: [] }]) {
      const cov = managementCoverage(resp);
      expect([cov.read, cov.write, cov.complete]).to.deep.equal([false, false, false]);
      expect(cov.detail).to.equal('records no management events (the response holds no event selectors)');
    }
  });
});

describe('dataCoverage', () => {
  describe('basic event selectors', () => {
    it('reads arn:aws:s3 and arn:aws:s3::: as all S3 buckets', () => {
      for (const value of ['arn:aws:s3', 'arn:aws:s3:::']) {
        const cov = dataCoverage(basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: [value] }] }), 'AWS::S3::Object');
        expect(cov).to.deep.equal({
          level: 'complete',
          read: 'complete',
          write: 'complete',
          detail: 'records read and write S3 object events',
          pointers: ['/EventSelectors/0'],
        });
      }
    });

    it('reads one bucket as narrowed, naming it', () => {
      const cov = dataCoverage(
        basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::amzn-s3-demo-bucket1/'] }] }),
        'AWS::S3::Object',
      );
      expect([cov.level, cov.read, cov.write]).to.deep.equal(['narrowed', 'narrowed', 'narrowed']);
      expect(cov.detail).to.equal('S3 object events are narrowed: DataResources Values arn:aws:s3:::amzn-s3-demo-bucket1/');
    });

    it('takes read and write from the selector ReadWriteType', () => {
      const cov = dataCoverage(
        basic({ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }),
        'AWS::S3::Object',
      );
      expect([cov.level, cov.read, cov.write]).to.deep.equal(['narrowed', 'none', 'complete']);
      expect(cov.detail).to.equal('S3 object events: only write events are recorded');
    });

    it('reads arn:aws:lambda as all Lambda functions and does not mistake it for S3', () => {
      const resp = basic({ DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] });
      expect(dataCoverage(resp, 'AWS::Lambda::Function').level).to.equal('complete');
      expect(dataCoverage(resp, 'AWS::S3::Object').level).to.equal('none');
      expect(dataCoverage(resp, 'AWS::S3::Object').detail).to.equal('records no S3 object events');
    });

    it('reads partition-only values outside aws (arn:aws-us-gov:dynamodb) as all tables', () => {
      const resp = basic({ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws-us-gov:dynamodb'] }] });
      const cov = dataCoverage(resp, 'AWS::DynamoDB::Table');
      expect(cov.level).to.equal('complete');
      expect(cov.detail).to.equal('records read and write DynamoDB table events');
    });

    it('reads one Lambda function as narrowed', () => {
      const resp = basic({
        DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda:us-east-1:111122223333:function:MyLambdaFunction'] }],
      });
      expect(dataCoverage(resp, 'AWS::Lambda::Function').level).to.equal('narrowed');
    });

    it('does not read a value naming another service as all resources', () => {
      const resp = basic({ DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:s3'] }] });
      expect(dataCoverage(resp, 'AWS::Lambda::Function').level).to.equal('narrowed');
    });

    it('does not read an empty Values list as complete', () => {
      const resp = basic({ DataResources: [{ Type: 'AWS::S3::Object', Values: [] }] });
      const cov = dataCoverage(resp, 'AWS::S3::Object');
      expect(cov.level).to.equal('narrowed');
      expect(cov.detail).to.contain('Values is empty');
    });
  });

  describe('advanced event selectors', () => {
    it('reads eventCategory Data with resources.type alone as complete', () => {
      const cov = dataCoverage(advanced(management('m'), data('Log all S3 data events', 'AWS::S3::Object')), 'AWS::S3::Object');
      expect(cov).to.deep.equal({
        level: 'complete',
        read: 'complete',
        write: 'complete',
        detail: 'records read and write S3 object events',
        pointers: ['/AdvancedEventSelectors/1'],
      });
    });

    it('counts split readOnly true and false data selectors as complete', () => {
      const cov = dataCoverage(advanced(
        data('S3 reads', 'AWS::S3::Object', { Field: 'readOnly', Equals: ['true'] }),
        data('S3 writes', 'AWS::S3::Object', { Field: 'readOnly', Equals: ['false'] }),
      ), 'AWS::S3::Object');
      expect(cov.level).to.equal('complete');
      expect(cov.pointers).to.deep.equal(['/AdvancedEventSelectors/0', '/AdvancedEventSelectors/1']);
    });

    it('reads a selector that leaves out only the log bucket as narrowed, naming the condition', () => {
      const cov = dataCoverage(advanced(data('Log all S3 data events', 'AWS::S3::Object', {
        Field: 'resources.ARN',
        NotStartsWith: ['arn:aws:s3:::log-bucket/'],
      })), 'AWS::S3::Object');
      expect([cov.level, cov.read, cov.write]).to.deep.equal(['narrowed', 'narrowed', 'narrowed']);
      expect(cov.detail).to.equal('S3 object events are narrowed: resources.ARN NotStartsWith arn:aws:s3:::log-bucket/');
    });

    it('reads an eventName condition as narrowed', () => {
      const cov = dataCoverage(advanced(data('S3', 'AWS::S3::Object', {
        Field: 'eventName',
        Equals: ['PutObject', 'DeleteObject'],
      })), 'AWS::S3::Object');
      expect(cov.level).to.equal('narrowed');
      expect(cov.detail).to.equal('S3 object events are narrowed: eventName Equals [PutObject, DeleteObject]');
    });

    it('reads a readOnly-only selector as narrowed overall, read complete and write none', () => {
      const cov = dataCoverage(advanced(data('S3', 'AWS::S3::Object', { Field: 'readOnly', Equals: ['true'] })), 'AWS::S3::Object');
      expect([cov.level, cov.read, cov.write]).to.deep.equal(['narrowed', 'complete', 'none']);
      expect(cov.detail).to.equal('S3 object events: only read events are recorded');
    });

    it('lets a complete selector of a kind outweigh a narrowed one', () => {
      const cov = dataCoverage(advanced(
        data('S3 writes', 'AWS::S3::Object', { Field: 'readOnly', Equals: ['false'] }),
        data('S3 reads of one bucket', 'AWS::S3::Object', { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::finance/'] }),
      ), 'AWS::S3::Object');
      expect([cov.level, cov.read, cov.write]).to.deep.equal(['narrowed', 'narrowed', 'complete']);
      expect(cov.detail).to.equal(
        'S3 object events: read events are narrowed: resources.ARN StartsWith arn:aws:s3:::finance/; write events are recorded in full',
      );
    });

    it('picks selectors by resources.type, so a Lambda selector does not cover S3', () => {
      const resp = advanced(data('Log all S3 data events', 'AWS::Lambda::Function'));
      expect(dataCoverage(resp, 'AWS::S3::Object').level).to.equal('none');
      const lambda = dataCoverage(resp, 'AWS::Lambda::Function');
      expect(lambda.level).to.equal('complete');
      expect(lambda.detail).to.equal('records read and write Lambda function events');
    });

    it('does not count a resources.type Equals list that is empty', () => {
      const cov = dataCoverage(advanced({
        Name: 'S3',
        FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: [] }],
      }), 'AWS::S3::Object');
      expect(cov.level).to.equal('narrowed');
      expect(cov.detail).to.contain('resources.type Equals (empty list)');
    });
  });

  it('says an empty response records no data events', () => {
    const cov = dataCoverage({}, 'AWS::S3::Object');
    expect([cov.level, cov.read, cov.write, cov.pointers]).to.deep.equal(['none', 'none', 'none', []]);
    expect(cov.detail).to.equal('records no S3 object events (the response holds no event selectors)');
  });
});
