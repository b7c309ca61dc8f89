/** The workflows follow the documented deploy path: the self-hosted runner in the runner subnet, the avere provider installed by the script. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const dir = path.join(__dirname, '..', '..', '.github', 'workflows');
type Step = { name?: string; if?: string; run?: string; env?: Record<string, string> };
const load = (f: string) => parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { jobs: Record<string, { 'runs-on': unknown; steps: Step[] }> };

test.each(['deploy.yml', 'pull-request.yml'])("%s runs on the runner subnet's self-hosted runner and installs the avere provider when pinned", (file) => {
  const [job] = Object.values(load(file).jobs);
  expect(job['runs-on']).toEqual(['self-hosted', 'photogrammetry']);
  const install = job.steps.find((s) => s.run === 'bash scripts/ci/install-avere-provider.sh')!;
  expect(install.if).toBe("vars.AVERE_PROVIDER_VERSION != ''");
  expect(install.env).toEqual({ AVERE_PROVIDER_VERSION: '${{ vars.AVERE_PROVIDER_VERSION }}', AVERE_PROVIDER_SHA256: '${{ vars.AVERE_PROVIDER_SHA256 }}' });
  const synth = job.steps.findIndex((s) => s.run === 'npm run synth');
  expect(job.steps.indexOf(install)).toBe(synth + 1);
});
