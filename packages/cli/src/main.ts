// The `sluice` command line: one program, a subcommand per service.
import { Command, CommanderError } from 'commander';
import { JobConfigError } from '@sluice/pipeline';
import { redactText } from '@sluice/logging';
import { registerInfraCommand } from './commands/infra-command.js';
import { registerLoadgenCommand } from './commands/loadgen-command.js';
import { registerPusherCommand } from './commands/pusher-command.js';
import { registerDemoCommand } from './commands/demo-command.js';
import { registerCatCommand } from './commands/cat-command.js';
import { registerDestinationCommand } from './commands/destination-command.js';
import { registerOwnershipCommand } from './commands/ownership-command.js';

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Logpush-style log shipping: edge → Kafka → push jobs → S3 and SIEMs')
    .showHelpAfterError()
    .exitOverride();
  registerInfraCommand(program);
  registerLoadgenCommand(program);
  registerPusherCommand(program);
  registerDemoCommand(program);
  registerCatCommand(program);
  registerDestinationCommand(program);
  registerOwnershipCommand(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof JobConfigError) {
      process.stderr.write(`sluice: invalid jobs (${error.context}):\n${error.issues.map((i) => `  ${i.path}: ${redactText(i.message)}`).join('\n')}\n`);
      process.exitCode = 2;
      return;
    }
    const code = (error as { code?: unknown }).code;
    process.stderr.write(`sluice: ${redactText((error as Error).message ?? String(error))}${typeof code === 'string' ? ` [${code}]` : ''}\n`);
    process.exitCode = 1;
  }
}

await main();
