import { Command, CommanderError } from 'commander';
import { StillwatchError, UsageError } from '../domain/index.js';
import { COMMANDS } from './commands/index.js';

const program = new Command('stillwatch')
  .description('Detect, stop and share intelligence about model-distillation attacks.')
  .exitOverride()
  .showHelpAfterError();
program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
for (const register of COMMANDS) register(program);

/** Exit codes: 0 success, 2 usage errors, 1 failures. */
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
      process.exitCode = 0;
    } else {
      process.exitCode = 2;
    }
  } else if (err instanceof UsageError) {
    process.stderr.write(`stillwatch: ${err.message}\n`);
    process.exitCode = 2;
  } else if (err instanceof StillwatchError && err.kind === 'input') {
    process.stderr.write(`stillwatch: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`stillwatch: failed: ${msg}\n`);
    if (process.env['STILLWATCH_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
