#!/usr/bin/env node
// `npm run bench`: runs the compiled benchmark (bench/dist/src/main.js) with Kafka and S3 resolved.
import('../dist/src/main.js');
