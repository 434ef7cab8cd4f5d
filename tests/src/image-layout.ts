// The Dockerfile's runtime stage, built without Docker: what its COPY lines name, copied; its deps stage's `npm ci`, run.
import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DockerStage {
  name: string;
  /** The image the stage starts from, its ARG defaults filled in. */
  from: string;
  instructions: { op: string; args: string }[];
}

/** Stages of a Dockerfile, its line continuations joined and its comments dropped. */
export function parseDockerfile(text: string): DockerStage[] {
  const args = new Map<string, string>();
  const stages: DockerStage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of lines) {
    const [op = '', ...rest] = line.split(/\s+/);
    const body = rest.join(' ');
    const upper = op.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = body.split('=');
      args.set(name, value);
    } else if (upper === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(body);
      const image = (match?.[1] ?? '').replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? '');
      stages.push({ name: match?.[2] ?? String(stages.length), from: image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: upper, args: body });
    }
  }
  return stages;
}

/** `COPY [--from=X] SRC... DST` as its parts. */
export function copyOf(args: string): { from?: string; sources: string[]; target: string } {
  const words = args.split(/\s+/);
  const from = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
  const target = words.pop() ?? '';
  return { ...(from !== undefined ? { from } : {}), sources: words, target };
}

/** Copies `source` to `target` as COPY does: a folder's contents into the target folder; a file into a target ending in /, else as the target. */
async function copyLike(source: string, target: string): Promise<void> {
  if ((await lstat(source)).isDirectory()) {
    await cp(source, target, { recursive: true, verbatimSymlinks: true });
    return;
  }
  const into = target.endsWith('/') ? join(target, basename(source)) : target;
  await mkdir(dirname(into), { recursive: true });
  await cp(source, into, { verbatimSymlinks: true });
}

/**
 * Lays out the final stage under `dir`: the deps stage's manifests copied into `dir/deps` and its `npm ci` run there
 * (offline, from npm's cache, as the build before it filled it), then each COPY of the final stage from the deps
 * result or, for --from=build, from the repository's own build. Returns the final stage (USER, ENTRYPOINT).
 */
export async function layOutRuntime(repo: string, dockerfile: string, dir: string): Promise<DockerStage> {
  const stages = parseDockerfile(await readFile(dockerfile, 'utf8'));
  const deps = stages.find((s) => s.name === 'deps');
  const runtime = stages.at(-1);
  if (!deps || !runtime) throw new Error('the Dockerfile has no deps stage or no final stage');
  const depsDir = join(dir, 'deps');
  await mkdir(depsDir, { recursive: true });
  for (const { op, args } of deps.instructions) {
    if (op === 'COPY') {
      const { sources, target } = copyOf(args);
      for (const source of sources) await copyLike(join(repo, source), join(depsDir, target));
    } else if (op === 'RUN' && args.startsWith('npm ci')) {
      // No network here: npm's cache holds every package, and better-sqlite3 builds from source as in the toolchain stage.
      await run('npm', [...args.split(/\s+/).slice(1), '--offline'], { cwd: depsDir, env: { ...process.env, npm_config_build_from_source: 'true' }, maxBuffer: 64 * 1024 * 1024 });
    }
  }
  const app = join(dir, 'app');
  await mkdir(app, { recursive: true });
  for (const { op, args } of runtime.instructions) {
    if (op !== 'COPY') continue;
    const { from, sources, target } = copyOf(args);
    for (const source of sources) {
      const relative = source === '/app' ? '' : source.replace(/^\/app\//, '');
      const origin = from === 'deps' ? join(depsDir, relative) : join(repo, relative);
      await copyLike(origin, join(app, target));
    }
  }
  return runtime;
}
