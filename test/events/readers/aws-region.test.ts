// scan/events --region: the first region of an s3:// read (a bucket elsewhere is followed) and of LookupEvents
// without --regions, over AWS_REGION, AWS_DEFAULT_REGION and the profile's region (src/aws/region.ts order).
import { expect } from 'chai';
import { s3Client } from '../../../src/events/readers/aws.js';
import { withEnv } from '../../helpers/env.js';

describe('event sources: --region', () => {
  it('an s3:// read starts in the --region given, over AWS_REGION', async () => {
    await withEnv({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: undefined }, async () => {
      expect(await s3Client(undefined, 'ap-southeast-2').config.region()).to.equal('ap-southeast-2');
      expect(await s3Client(undefined).config.region()).to.equal('eu-west-1');
    });
  });
});
