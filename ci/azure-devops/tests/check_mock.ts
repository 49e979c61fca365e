// One PlanguardCheck run under the task library's mock runner; the scenario comes from the
// PLANGUARD_TEST_* environment the mocha test sets.
import * as fs from 'fs';
import * as path from 'path';
import * as tmrm from 'azure-pipelines-task-lib/mock-run';

const reportDir = process.env.PLANGUARD_TEST_REPORTS as string;
const exitCode = Number(process.env.PLANGUARD_TEST_EXIT ?? '0');
const plan = '/agent/s/tfplan.json';
const planguard = '/tools/planguard';

const runner = new tmrm.TaskMockRunner(path.join(__dirname, '..', 'tasks', 'PlanguardCheck', 'index.js'));
runner.setInput('planFiles', plan);
runner.setInput('sourceDir', '/agent/s');
runner.setInput('formats', 'sarif,junit');
runner.setInput('softFail', process.env.PLANGUARD_TEST_SOFT_FAIL ?? 'false');
runner.setInput('commentBehavior', process.env.PLANGUARD_TEST_BEHAVIOR ?? 'update');
runner.setInput('reportDirectory', reportDir);

// The reports planguard would write.
fs.mkdirSync(reportDir, { recursive: true });
for (const file of ['planguard.sarif', 'planguard-junit.xml', 'planguard.md']) {
  fs.writeFileSync(path.join(reportDir, file), 'report');
}

const soft = process.env.PLANGUARD_TEST_SOFT_FAIL === 'true' ? ' --soft-fail' : '';
const checkLine = `${planguard} check --format azure --source-dir /agent/s${soft}` +
  ` --output sarif=${reportDir}/planguard.sarif --output junit=${reportDir}/planguard-junit.xml` +
  ` --output markdown=${reportDir}/planguard.md -- ${plan}`;
const commentLine = `${planguard} comment azure-repos --path ${reportDir}/planguard.md` +
  ` --behavior ${process.env.PLANGUARD_TEST_BEHAVIOR ?? 'update'}` +
  ' --repo-url https://dev.azure.com/org/project/_git/infra --pull-request 17';
runner.setAnswers({
  which: { planguard },
  checkPath: { [planguard]: true },
  exist: { [plan]: process.env.PLANGUARD_TEST_NO_PLAN !== 'true' },
  exec: {
    [checkLine]: { code: exitCode, stdout: 'planguard check ran' },
    [commentLine]: { code: 0, stdout: 'planguard comment ran' },
  },
});
if (process.env.PLANGUARD_TEST_TOKEN) {
  // The agent hands System.AccessToken to tasks as a secret variable.
  runner.setVariableName('System.AccessToken', process.env.PLANGUARD_TEST_TOKEN, true);
}
runner.run();
