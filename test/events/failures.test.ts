// Failures as AWS writes them: an errorCode, a console sign-in's `responseElements.ConsoleLogin: Failure`
// (no error code, `errorMessage: Failed authentication`), or an errorMessage alone. The `events` table's
// RESULT column and --errors-only read all three; a failed sign-in never shows "ok".
import { expect } from 'chai';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { failureOf } from '../../src/events/failure.js';
import { consoleLogin, denied, event, failedWithMessageOnly, iamUser, ACCOUNT } from '../checks/rules/fixtures/records.js';
import { tempDir, writeLog } from './helpers.js';

const signInFailed = { ...consoleLogin(iamUser('alice'), 'Failure', 'No'), eventID: '00000000-0000-4000-8000-00000000f001' };
const signedIn = { ...consoleLogin(iamUser('bob'), 'Success', 'Yes'), eventTime: '2026-09-14T03:00:01Z', eventID: '00000000-0000-4000-8000-00000000f002' };
const refused = { ...denied(event({ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' })), eventTime: '2026-09-14T03:00:02Z', eventID: '00000000-0000-4000-8000-00000000f003' };
const messageOnly = { ...failedWithMessageOnly(event({ eventSource: 'iam.amazonaws.com', eventName: 'ListRoles' })), eventTime: '2026-09-14T03:00:03Z', eventID: '00000000-0000-4000-8000-00000000f004' };

describe('failures as AWS writes them', () => {
  it('reads an errorCode, a ConsoleLogin Failure and an errorMessage alone as failures, and nothing else', () => {
    expect(failureOf(refused)).to.equal('AccessDenied');
    expect(failureOf(signInFailed)).to.equal('Failure: Failed authentication');
    const { errorMessage: _message, ...withoutMessage } = signInFailed;
    expect(failureOf(withoutMessage)).to.equal('Failure');
    expect(failureOf(messageOnly)).to.match(/^User: arn:aws:iam::111122223333:user\/alice is not authorized to perform: ListRoles$/);
    expect(failureOf(signedIn)).to.equal(null);
  });

  it('shows them in the events RESULT column and keeps exactly them with --errors-only', async () => {
    const logs = tempDir();
    writeLog(logs, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:10:00Z', records: [signInFailed, signedIn, refused, messageOnly] });
    const io = memoryIo();
    expect(await main(['events', '--logs', logs, '--no-progress'], io)).to.equal(0);
    const rows = io.out.trimEnd().split('\n').slice(2);
    const result = (name: string, who: string): string | undefined => rows.find((r) => r.includes(name) && r.includes(who));
    expect(result('ConsoleLogin', 'alice')).to.match(/Failure: Failed authentication$/);
    expect(result('ConsoleLogin', 'bob')).to.match(/ ok$/);
    expect(result('ListUsers', 'alice')).to.match(/AccessDenied$/);
    expect(result('ListRoles', 'alice')).to.match(/is not authorized to perform: ListRoles$/);
    // Through the raw-text prefilter too: it must let every one of the three shapes through.
    const errors = memoryIo();
    expect(await main(['events', '--logs', logs, '--no-progress', '--errors-only', '--format', 'jsonl'], errors), errors.err).to.equal(0);
    const ids = errors.out.trim().split('\n').map((line) => (JSON.parse(line) as { eventID: string }).eventID);
    expect(ids.sort()).to.deep.equal(['00000000-0000-4000-8000-00000000f001', '00000000-0000-4000-8000-00000000f003', '00000000-0000-4000-8000-00000000f004']);
  });
});
