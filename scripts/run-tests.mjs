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
// The pinned AWS SDK supports Node 20; its notice about future releases would only clutter test output.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };
const result = spawnSync(process.execPath, ['--test', ...extra, ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
