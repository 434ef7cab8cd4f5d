#!/usr/bin/env node
// The `sluice` command; the compiled program lives in dist/ (npm run build).
// Sluice pins an AWS SDK release that supports Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import('../dist/src/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/main.js')) {
    console.error('sluice: not built yet; run `npm run build` first');
    process.exit(1);
  }
  throw error;
});
