// The `sluice` program with every subcommand registered; `runCli` runs it in-process, as the tests do.
import { Command, CommanderError } from 'commander';
import { registerInfraCommand } from './commands/infra-command.js';
import { registerLoadgenCommand } from './commands/loadgen-command.js';
import { registerPusherCommand } from './commands/pusher-command.js';
import { registerDemoCommand } from './commands/demo-command.js';
import { registerCatCommand } from './commands/cat-command.js';
import { registerDestinationCommand } from './commands/destination-command.js';
import { registerOwnershipCommand } from './commands/ownership-command.js';
import { registerApiCommand } from './commands/api-command.js';
import { registerJobsCommand } from './commands/jobs-command.js';
import { registerEdgeCommand } from './commands/edge-command.js';
import { registerTokenCommand } from './commands/token-command.js';
import { registerAuditCommand } from './commands/audit-command.js';
import { registerAccessLogsCommand } from './commands/access-logs-command.js';
import { processIo } from './command-io.js';
import type { CommandIo } from './command-io.js';

/** Commands given `io` write through it (help and commander's errors too); the others use the process. */
export function buildProgram(io: CommandIo = processIo()): Command {
  const program = new Command('sluice')
    .description('Logpush-style log shipping: edge → Kafka → push jobs → S3 and SIEMs')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError()
    .exitOverride();
  registerInfraCommand(program);
  registerLoadgenCommand(program);
  registerPusherCommand(program);
  registerDemoCommand(program);
  registerCatCommand(program);
  registerDestinationCommand(program, io);
  registerOwnershipCommand(program, io);
  registerApiCommand(program);
  registerJobsCommand(program, io);
  registerEdgeCommand(program);
  registerTokenCommand(program, io);
  registerAuditCommand(program, io);
  registerAccessLogsCommand(program, io);
  return program;
}

/**
 * Runs `sluice <args>` in this process and resolves to its exit code. Errors other than the command
 * line's propagate: commands report expected failures themselves.
 */
export async function runCli(args: readonly string[], io: CommandIo): Promise<number> {
  let exitCode = 0;
  const recording: CommandIo = {
    ...io,
    setExitCode: (code) => {
      exitCode = code;
      io.setExitCode(code);
    },
  };
  try {
    await buildProgram(recording).parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
