import * as https from 'https';

/** The version of the latest release: GitHub's /releases/latest redirects to /releases/tag/v<ver>. */
export function latestVersion(latestUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.request(latestUrl, { method: 'HEAD' }, (response) => {
      response.resume();
      const location = response.headers.location ?? '';
      const match = /\/tag\/v?([0-9][^/]*)$/.exec(location);
      if (match) {
        resolve(match[1]);
      } else {
        reject(new Error(`the latest release could not be resolved (HTTP ${response.statusCode})`));
      }
    });
    request.on('error', () => reject(new Error('the latest release could not be resolved (no connection)')));
    request.end();
  });
}

export function releaseTarget(platform: string, arch: string): string | undefined {
  const targets: Record<string, string> = {
    'linux/x64': 'x86_64-unknown-linux-gnu',
    'linux/arm64': 'aarch64-unknown-linux-gnu',
    'darwin/x64': 'x86_64-apple-darwin',
    'darwin/arm64': 'aarch64-apple-darwin',
    'win32/x64': 'x86_64-pc-windows-msvc',
  };
  return targets[`${platform}/${arch}`];
}
