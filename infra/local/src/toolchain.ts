// Finds `java` and `mvn` and checks the Java version; the PATH lookup is injectable for tests.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InfraError } from './infra-error.js';

/** Returns the absolute path of an executable file, or undefined when there is none. */
export type ExecutableLookup = (name: string) => string | undefined;

/** S3Proxy 4.x is built for Java 17; Kafka 3.9 would run on 11. */
export const MIN_JAVA_MAJOR = 17;

const INSTALL_HINT =
  'Install it with `sudo apt-get install openjdk-17-jre-headless maven` (Debian/Ubuntu) ' +
  'or `brew install openjdk@17 maven` (macOS), then run this again.';

export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A lookup over the directories of a PATH string, like `command -v`. */
export function pathLookup(
  pathEnv: string = process.env['PATH'] ?? '',
  isExecutable: (path: string) => boolean = isExecutableFile,
): ExecutableLookup {
  const dirs = pathEnv.split(delimiter).filter((dir) => dir !== '');
  return (name) => dirs.map((dir) => join(dir, name)).find((candidate) => isExecutable(candidate));
}

export interface JavaLookupOptions {
  readonly lookup?: ExecutableLookup;
  /** `$JAVA_HOME`, preferred over PATH when it holds a `bin/java`. */
  readonly javaHome?: string | undefined;
  readonly isExecutable?: (path: string) => boolean;
}

export function findJava(options: JavaLookupOptions = {}): string {
  const { lookup = pathLookup(), javaHome = process.env['JAVA_HOME'], isExecutable = isExecutableFile } = options;
  if (javaHome !== undefined && javaHome !== '') {
    const candidate = join(javaHome, 'bin', 'java');
    if (isExecutable(candidate)) return candidate;
  }
  const found = lookup('java');
  if (found === undefined) {
    throw new InfraError('INFRA_JAVA_MISSING', `Java ${MIN_JAVA_MAJOR}+ is needed to run Kafka, S3Proxy and OpenSearch locally, but no \`java\` was found on PATH. ${INSTALL_HINT}`);
  }
  return found;
}

export function findMaven(lookup: ExecutableLookup = pathLookup()): string {
  const found = lookup('mvn');
  if (found === undefined) {
    throw new InfraError('INFRA_MAVEN_MISSING', `Maven is needed once to fetch the Kafka, S3Proxy and OpenSearch jars from Maven Central, but no \`mvn\` was found on PATH. ${INSTALL_HINT}`);
  }
  return found;
}

/** The major version from `java -version` output: `"17.0.15"` gives 17, `"1.8.0_392"` gives 8. */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Runs `java -version` and throws INFRA_JAVA_TOO_OLD below `minMajor`; returns the major version. */
export async function checkJavaVersion(java: string, minMajor: number = MIN_JAVA_MAJOR): Promise<number> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(java, ['-version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new InfraError('INFRA_JAVA_MISSING', `\`${java} -version\` failed: ${error.message}. ${INSTALL_HINT}`, { cause: error }));
      else resolve(`${stderr}${stdout}`);
    });
  });
  const major = parseJavaMajorVersion(output);
  if (major === undefined || major < minMajor) {
    const found = major === undefined ? 'an unrecognised version' : `Java ${major}`;
    throw new InfraError('INFRA_JAVA_TOO_OLD', `${java} is ${found}; Java ${minMajor}+ is needed. ${INSTALL_HINT}`);
  }
  return major;
}
