import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tl from 'azure-pipelines-task-lib/task';
import * as toolLib from 'azure-pipelines-tool-lib/tool';
import { latestVersion, releaseTarget } from './release';

const VERSION_PATTERN = /^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/;

async function run(): Promise<void> {
  const requested = (tl.getInput('version') ?? 'latest').trim();
  const baseUrl = (tl.getInput('releaseBaseUrl') ??
    'https://github.com/planguard/planguard/releases/download').replace(/\/+$/, '');
  const target = releaseTarget(os.platform(), os.arch());
  if (!target) {
    throw new Error(`no planguard release for this agent (${os.platform()}/${os.arch()})`);
  }
  let version = requested.replace(/^v/, '');
  if (requested === 'latest') {
    version = await latestVersion(baseUrl.replace(/\/download$/, '/latest'));
  }
  if (!VERSION_PATTERN.test(version)) {
    throw new Error("input 'version': expected X.Y.Z or 'latest'");
  }

  let toolDir = toolLib.findLocalTool('planguard', version, target);
  if (toolDir) {
    console.log(`planguard ${version} (${target}) found in the tool cache`);
  } else {
    const name = `planguard-${version}-${target}`;
    const archive = await toolLib.downloadTool(`${baseUrl}/v${version}/${name}.tar.gz`);
    const checksumFile = await toolLib.downloadTool(`${baseUrl}/v${version}/${name}.tar.gz.sha256`);
    const expected = fs.readFileSync(checksumFile, 'utf8').trim().split(/\s+/)[0] ?? '';
    const actual = crypto.createHash('sha256').update(fs.readFileSync(archive)).digest('hex');
    if (expected.toLowerCase() !== actual) {
      throw new Error(`checksum mismatch for ${name}.tar.gz: the archive is not the one released`);
    }
    const extracted = await toolLib.extractTar(archive);
    toolDir = await toolLib.cacheDir(path.join(extracted, name), 'planguard', version, target);
    console.log(`planguard ${version} (${target}) installed into the tool cache`);
  }
  toolLib.prependPath(toolDir);
  tl.setVariable('PlanguardVersion', version);
  tl.setResult(tl.TaskResult.Succeeded, `planguard ${version} on PATH`);
}

run().catch((error: unknown) => {
  tl.setResult(tl.TaskResult.Failed, error instanceof Error ? error.message : String(error));
});
