import { App } from 'cdktf';
import { runCli } from './scripts/cli';
import { CONFIG_CONTEXT_KEY, loadConfig } from './src/config/load';
import { addPhotogrammetryStacks } from './stacks/app';

runCli(() => {
  // No construct stack traces in the metadata: capturing one per construct is most of a synth's time.
  const app = new App({ stackTraces: false });
  const config = loadConfig({ contextFile: app.node.tryGetContext(CONFIG_CONTEXT_KEY) });
  addPhotogrammetryStacks(app, config);
  app.synth();
});
