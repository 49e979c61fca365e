import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ttm from 'azure-pipelines-task-lib/mock-test';

// The mock runner downloads a Node.js matching task.json's handler unless it is told which
// node to use: the tests run with this node and never reach the network.
async function runTask(file: string, scenario: Record<string, string>): Promise<ttm.MockTestRunner> {
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('PLANGUARD_TEST_')) delete process.env[key];
  }
  Object.assign(process.env, scenario);
  const runner = new ttm.MockTestRunner();
  (runner as unknown as { getNodePath: () => Promise<string> }).getNodePath = async () => process.execPath;
  await runner.LoadAsync(path.join(__dirname, file));
  await runner.runAsync();
  return runner;
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'planguard-ado-'));
}

describe('PlanguardCheck@1', function () {
  afterEach(() => {
    delete process.env.SYSTEM_PULLREQUEST_PULLREQUESTID;
    delete process.env.SYSTEM_ACCESSTOKEN;
    delete process.env.SECRET_SYSTEM_ACCESSTOKEN;
    delete process.env.BUILD_REPOSITORY_URI;
  });

  it('succeeds on a passing plan and publishes JUnit and SARIF', async () => {
    const reports = scratch();
    const run = await runTask('check_mock.js', { PLANGUARD_TEST_REPORTS: reports, PLANGUARD_TEST_EXIT: '0' });
    assert.ok(run.succeeded, run.stdout);
    assert.ok(run.stdOutContained('planguard check ran'), run.stdout);
    assert.ok(run.stdOutContained(`##vso[results.publish type=JUnit;resultFiles=${reports}/planguard-junit.xml;`), run.stdout);
    assert.ok(run.stdOutContained(`##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs;]${reports}/CodeAnalysisLogs`), run.stdout);
    assert.ok(!run.stdOutContained('comment azure-repos'), 'no comment outside a pull request');
  });

  it('fails the task on a violated guardrail', async () => {
    const run = await runTask('check_mock.js', { PLANGUARD_TEST_REPORTS: scratch(), PLANGUARD_TEST_EXIT: '1' });
    assert.ok(run.failed, run.stdout);
    assert.ok(run.createdErrorIssue('planguard: a guardrail is violated (see the Tests and Scans tabs)'), run.stdout);
    assert.ok(run.stdOutContained('##vso[results.publish type=JUnit'), 'reports are published on failure too');
  });

  it('passes --soft-fail and succeeds with soft fail', async () => {
    const run = await runTask('check_mock.js', {
      PLANGUARD_TEST_REPORTS: scratch(), PLANGUARD_TEST_EXIT: '0', PLANGUARD_TEST_SOFT_FAIL: 'true',
    });
    assert.ok(run.succeeded, run.stdout);
    assert.ok(run.stdOutContained('planguard check ran'), 'the command line carried --soft-fail');
  });

  it('fails on an input error exit code', async () => {
    const run = await runTask('check_mock.js', { PLANGUARD_TEST_REPORTS: scratch(), PLANGUARD_TEST_EXIT: '2' });
    assert.ok(run.failed);
    assert.ok(run.createdErrorIssue('planguard check could not read its input (exit 2)'), run.stdout);
  });

  it('fails with a clear message when the plan file is missing', async () => {
    const run = await runTask('check_mock.js', { PLANGUARD_TEST_REPORTS: scratch(), PLANGUARD_TEST_NO_PLAN: 'true' });
    assert.ok(run.failed);
    assert.ok(run.createdErrorIssue("input 'planFiles' line 1: the plan file does not exist (run terraform show -json first)"), run.stdout);
    assert.ok(!run.stdOutContained('planguard check ran'));
  });

  it('comments on the pull request with the access token kept off the command line', async () => {
    process.env.SYSTEM_PULLREQUEST_PULLREQUESTID = '17';
    process.env.BUILD_REPOSITORY_URI = 'https://dev.azure.com/org/project/_git/infra';
    const run = await runTask('check_mock.js', {
      PLANGUARD_TEST_REPORTS: scratch(), PLANGUARD_TEST_EXIT: '0', PLANGUARD_TEST_BEHAVIOR: 'hide-and-new', PLANGUARD_TEST_TOKEN: 'secret-token-value',
    });
    assert.ok(run.succeeded, run.stdout);
    assert.ok(run.stdOutContained('planguard comment ran'), run.stdout);
    // The mocked command line matched exactly, so the token was not on it; the only line with
    // the token is the task library's debug echo of the secret variable, which the agent masks.
    const leaks = run.stdout.split('\n').filter((line) => line.includes('secret-token-value'));
    assert.deepStrictEqual(leaks.map((line) => line.trim()), ['##vso[task.debug]System.AccessToken=secret-token-value']);
  });

  it('fails a pull request run without System.AccessToken', async () => {
    process.env.SYSTEM_PULLREQUEST_PULLREQUESTID = '17';
    const run = await runTask('check_mock.js', { PLANGUARD_TEST_REPORTS: scratch(), PLANGUARD_TEST_EXIT: '0' });
    assert.ok(run.failed);
    assert.ok(run.stdOutContained('System.AccessToken is not available'), run.stdout);
  });
});

describe('PlanguardInstaller@1', function () {
  it('resolves latest, verifies the checksum, caches and prepends PATH', async () => {
    const run = await runTask('installer_mock.js', { PLANGUARD_TEST_WORK: scratch() });
    assert.ok(run.succeeded, run.stdout);
    assert.ok(run.stdOutContained('MOCK latest https://releases.example/latest'), run.stdout);
    assert.ok(run.stdOutContained('MOCK download https://releases.example/download/v1.4.2/planguard-1.4.2-x86_64-unknown-linux-gnu.tar.gz'), run.stdout);
    assert.ok(run.stdOutContained('MOCK download https://releases.example/download/v1.4.2/planguard-1.4.2-x86_64-unknown-linux-gnu.tar.gz.sha256'));
    assert.ok(run.stdOutContained('MOCK cacheDir /extracted/planguard-1.4.2-x86_64-unknown-linux-gnu planguard 1.4.2 x86_64-unknown-linux-gnu'), run.stdout);
    assert.ok(run.stdOutContained('MOCK prependPath /cache/planguard'));
  });

  it('uses a given version and the tool cache without downloading', async () => {
    const run = await runTask('installer_mock.js', {
      PLANGUARD_TEST_WORK: scratch(), PLANGUARD_TEST_VERSION: 'v2.0.1', PLANGUARD_TEST_CACHED: 'true',
    });
    assert.ok(run.succeeded, run.stdout);
    assert.ok(!run.stdOutContained('MOCK latest'));
    assert.ok(run.stdOutContained('MOCK findLocalTool planguard 2.0.1 x86_64-unknown-linux-gnu'), run.stdout);
    assert.ok(run.stdOutContained('found in the tool cache'));
    assert.ok(!run.stdOutContained('MOCK download'), 'a cache hit downloads nothing');
    assert.ok(run.stdOutContained('MOCK prependPath /cache/planguard'));
  });

  it('refuses an archive whose checksum does not match', async () => {
    const run = await runTask('installer_mock.js', {
      PLANGUARD_TEST_WORK: scratch(), PLANGUARD_TEST_VERSION: '1.0.0', PLANGUARD_TEST_BAD_SUM: 'true',
    });
    assert.ok(run.failed);
    assert.ok(run.stdOutContained('checksum mismatch'), run.stdout);
    assert.ok(!run.stdOutContained('MOCK cacheDir'));
  });

  it('refuses a malformed version', async () => {
    const run = await runTask('installer_mock.js', { PLANGUARD_TEST_WORK: scratch(), PLANGUARD_TEST_VERSION: '1.x' });
    assert.ok(run.failed);
    assert.ok(run.stdOutContained("input 'version': expected X.Y.Z or 'latest'"), run.stdout);
  });
});
