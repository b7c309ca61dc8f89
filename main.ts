import { App } from 'cdktf';
import { runCli } from './src/cli';
import { CONFIG_CONTEXT_KEY, loadConfig } from './src/config/load';
import { addPhotogrammetryStacks } from './stacks/app';

runCli(() => {
  const app = new App();
  const config = loadConfig({ contextFile: app.node.tryGetContext(CONFIG_CONTEXT_KEY) });
  addPhotogrammetryStacks(app, config);
  app.synth();
});
