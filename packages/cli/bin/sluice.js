#!/usr/bin/env node
// The `sluice` command; the compiled program lives in dist/ (npm run build).
import('../dist/src/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/main.js')) {
    console.error('sluice: not built yet; run `npm run build` first');
    process.exit(1);
  }
  throw error;
});
