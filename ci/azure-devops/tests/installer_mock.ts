// One PlanguardInstaller run under the mock runner with the tool library and the release
// lookup mocked: no network. The scenario comes from PLANGUARD_TEST_* variables.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tmrm from 'azure-pipelines-task-lib/mock-run';

const work = process.env.PLANGUARD_TEST_WORK as string;
const cached = process.env.PLANGUARD_TEST_CACHED === 'true';
const archive = path.join(work, 'download.tar.gz');
const checksum = path.join(work, 'download.sha256');
fs.mkdirSync(work, { recursive: true });
fs.writeFileSync(archive, 'archive bytes');
const digest = process.env.PLANGUARD_TEST_BAD_SUM === 'true'
  ? '0'.repeat(64)
  : crypto.createHash('sha256').update('archive bytes').digest('hex');
fs.writeFileSync(checksum, `${digest}  planguard.tar.gz\n`);

const runner = new tmrm.TaskMockRunner(path.join(__dirname, '..', 'tasks', 'PlanguardInstaller', 'index.js'));
runner.setInput('version', process.env.PLANGUARD_TEST_VERSION ?? 'latest');
runner.setInput('releaseBaseUrl', 'https://releases.example/download');
runner.registerMock('./release', {
  latestVersion: async (url: string) => {
    console.log(`MOCK latest ${url}`);
    return '1.4.2';
  },
  releaseTarget: () => 'x86_64-unknown-linux-gnu',
});
runner.registerMock('azure-pipelines-tool-lib/tool', {
  findLocalTool: (tool: string, version: string, arch: string) => {
    console.log(`MOCK findLocalTool ${tool} ${version} ${arch}`);
    return cached ? '/cache/planguard' : '';
  },
  downloadTool: async (url: string) => {
    console.log(`MOCK download ${url}`);
    return url.endsWith('.sha256') ? checksum : archive;
  },
  extractTar: async () => '/extracted',
  cacheDir: async (dir: string, tool: string, version: string, arch: string) => {
    console.log(`MOCK cacheDir ${dir} ${tool} ${version} ${arch}`);
    return '/cache/planguard';
  },
  prependPath: (dir: string) => console.log(`MOCK prependPath ${dir}`),
});
runner.run();
