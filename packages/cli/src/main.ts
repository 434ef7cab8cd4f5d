// The `sluice` binary: runs the program (cli-program.ts) and turns what escapes it into an exit code.
import { CommanderError } from 'commander';
import { JobConfigError } from '@sluice/pipeline';
import { redactText } from '@sluice/logging';
import { buildProgram } from './cli-program.js';
import { loadEnvFiles } from './env-files.js';

async function main(): Promise<void> {
  const files = loadEnvFiles(process.env);
  if (!files.ok) {
    process.stderr.write(`sluice: ${files.message} [${files.code}]\n`);
    process.exitCode = 2;
    return;
  }
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
