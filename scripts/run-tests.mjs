// Runs node's test runner over every compiled test file under the given folders.
// Node 20 takes directories and Node 22 takes globs, so the files are listed explicitly.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.js') && path.split('/').includes('dist')) out.push(path);
  }
  return out;
}

const roots = process.argv.slice(2);
const files = roots.flatMap((root) => findTests(root, [])).sort();
if (files.length === 0) {
  console.error(`no compiled test files under ${roots.join(', ')}: run npm run build first`);
  process.exit(1);
}
const extra = (process.env.SLUICE_TEST_ARGS ?? '').split(' ').filter(Boolean);
const result = spawnSync(process.execPath, ['--test', ...extra, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
