#!/usr/bin/env node
// `npm run bench`: runs the compiled benchmark (bench/dist/src/main.js) with Kafka and S3 resolved.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import('../dist/src/main.js');
