// Where infra-local keeps its pom, Maven cache and runtime state, found from this file's location.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from './infra-error.js';

const PACKAGE_NAME = '@sluice/infra-local';

export interface InfraPaths {
  /** The infra/local folder (holds package.json and pom.xml). */
  readonly root: string;
  readonly pomFile: string;
  /** The pom that fetches the OpenSearch runner's jars (kept apart: only the Elasticsearch tests need them). */
  readonly opensearchPomFile: string;
  /** Jars copied out of Maven (git-ignored); `~/.m2` stays Maven's own download cache. */
  readonly cacheDir: string;
  /** Generated configs, data, logs and pid files (git-ignored). */
  readonly runDir: string;
  readonly kafkaRunDir: string;
  readonly s3RunDir: string;
  readonly clickhouseRunDir: string;
  readonly opensearchRunDir: string;
  /** Held while `infraUp` or `infraDown` works, so two callers never start two brokers. */
  readonly lockFile: string;
}

/** Walks up from `startDir` to the folder whose package.json is @sluice/infra-local. */
export function findPackageRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && packageName(manifest) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new InfraError('INFRA_LAYOUT_UNKNOWN', `no package.json of ${PACKAGE_NAME} found above ${startDir}`);
    }
    dir = parent;
  }
}

/** Paths under infra/local; by default located from this module's own file, never from cwd. */
export function infraPaths(root: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)))): InfraPaths {
  const runDir = join(root, '.run');
  return {
    root,
    pomFile: join(root, 'pom.xml'),
    opensearchPomFile: join(root, 'pom-opensearch.xml'),
    cacheDir: join(root, '.cache'),
    runDir,
    kafkaRunDir: join(runDir, 'kafka'),
    s3RunDir: join(runDir, 's3'),
    clickhouseRunDir: join(runDir, 'clickhouse'),
    opensearchRunDir: join(runDir, 'opensearch'),
    lockFile: join(runDir, 'infra.lock'),
  };
}

function packageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}
