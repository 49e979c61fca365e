import * as fs from 'fs';
import * as path from 'path';
import * as tl from 'azure-pipelines-task-lib/task';

const FORMATS: Record<string, string> = {
  sarif: 'planguard.sarif',
  junit: 'planguard-junit.xml',
  markdown: 'planguard.md',
  json: 'planguard.json',
};
const BEHAVIORS = ['update', 'new', 'delete-and-new', 'hide-and-new', 'off'];

async function run(): Promise<void> {
  const plans = (tl.getDelimitedInput('planFiles', '\n', true) ?? [])
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (plans.length === 0) {
    throw new Error("input 'planFiles' is empty: give the plan JSON file(s)");
  }
  plans.forEach((plan, index) => {
    if (!/[*?[]/.test(plan) && plan !== '-' && !tl.exist(plan)) {
      throw new Error(`input 'planFiles' line ${index + 1}: the plan file does not exist (run terraform show -json first)`);
    }
  });
  const config = tl.getInput('config');
  const sourceDir = tl.getInput('sourceDir');
  const softFail = tl.getBoolInput('softFail', false);
  const behavior = (tl.getInput('commentBehavior') ?? 'update').trim();
  if (!BEHAVIORS.includes(behavior)) {
    throw new Error(`input 'commentBehavior': expected one of ${BEHAVIORS.join(', ')}`);
  }
  const formats = (tl.getInput('formats') ?? 'sarif,junit,markdown')
    .split(',')
    .map((format) => format.trim())
    .filter((format) => format.length > 0);
  for (const format of formats) {
    if (!(format in FORMATS)) {
      throw new Error(`input 'formats': expected a comma-separated list of ${Object.keys(FORMATS).join(', ')}`);
    }
  }
  if (!formats.includes('markdown')) {
    formats.push('markdown');
  }
  const reportDir = tl.getInput('reportDirectory') ??
    path.join(tl.getVariable('Agent.TempDirectory') ?? '.', 'planguard');
  tl.mkdirP(reportDir);
  const report = (format: string) => path.join(reportDir, FORMATS[format]);

  const planguard = tl.which('planguard', true);
  const check = tl.tool(planguard).arg(['check', '--format', 'azure']);
  if (config) check.arg(['--config', config]);
  if (sourceDir) check.arg(['--source-dir', sourceDir]);
  if (softFail) check.arg('--soft-fail');
  for (const format of formats) check.arg(['--output', `${format}=${report(format)}`]);
  check.arg('--').arg(plans);
  const status = await check.execAsync({ ignoreReturnCode: true });

  if (formats.includes('junit') && fs.existsSync(report('junit'))) {
    tl.command('results.publish', {
      type: 'JUnit',
      resultFiles: report('junit'),
      runTitle: 'planguard',
      mergeResults: 'false',
      failTaskOnFailedTests: 'false',
    }, '');
  }
  if (formats.includes('sarif') && fs.existsSync(report('sarif'))) {
    // The SARIF Scans tab reads the build artifact named CodeAnalysisLogs.
    const sarifDir = path.join(reportDir, 'CodeAnalysisLogs');
    tl.mkdirP(sarifDir);
    tl.cp(report('sarif'), path.join(sarifDir, FORMATS.sarif), '-f');
    tl.uploadArtifact('CodeAnalysisLogs', sarifDir, 'CodeAnalysisLogs');
  }

  const pullRequest = tl.getVariable('System.PullRequest.PullRequestId');
  if (pullRequest && behavior !== 'off' && fs.existsSync(report('markdown'))) {
    const token = tl.getVariable('System.AccessToken');
    if (!token) {
      throw new Error('System.AccessToken is not available to the task: the pull request comment needs it (allow scripts to access the OAuth token)');
    }
    const comment = tl.tool(planguard).arg(['comment', 'azure-repos', '--path', report('markdown'), '--behavior', behavior]);
    const repoUrl = tl.getVariable('Build.Repository.Uri');
    if (repoUrl) comment.arg(['--repo-url', repoUrl]);
    comment.arg(['--pull-request', pullRequest]);
    // The token goes by environment (planguard reads SYSTEM_ACCESSTOKEN), never on the command line the log shows.
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined) env[key] = value;
    }
    env.SYSTEM_ACCESSTOKEN = token;
    const commented = await comment.execAsync({ env, ignoreReturnCode: true });
    if (commented !== 0) {
      throw new Error(`planguard comment azure-repos failed (exit ${commented})`);
    }
  }

  if (status === 0) {
    tl.setResult(tl.TaskResult.Succeeded, 'planguard: pass');
  } else if (status === 1) {
    tl.setResult(tl.TaskResult.Failed, 'planguard: a guardrail is violated (see the Tests and Scans tabs)');
  } else {
    tl.setResult(tl.TaskResult.Failed, `planguard check could not read its input (exit ${status})`);
  }
}

run().catch((error: unknown) => {
  tl.setResult(tl.TaskResult.Failed, error instanceof Error ? error.message : String(error));
});
