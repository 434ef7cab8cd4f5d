// What a command may touch outside itself — output streams, environment, fetch, exit code — passed in so that tests need no globals.

export interface CommandIo {
  /** Results for scripts: tables, JSON, one line per change. */
  out: (text: string) => void;
  /** Messages for people, and errors. */
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof globalThis.fetch;
  setExitCode: (code: number) => void;
}

/** The real process: stdout, stderr, process.env, global fetch, process.exitCode. */
export function processIo(): CommandIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    fetch: (input, init) => globalThis.fetch(input, init),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** Exit codes shared by every command: 0 done, 1 refused or failed, 2 the command line itself is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
