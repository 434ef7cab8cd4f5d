// The demo origin in a process of its own, so that neither the gateway nor the load generator shares its event loop.
// Run through startServiceChild: origin-child.js [pageBytes]
import { startDemoOrigin } from '@sluice/edge';
import { serveParent } from './service-child.js';

const pageBytes = Number(process.argv[2] ?? '2048');
const origin = await startDemoOrigin({ pageBytes });
serveParent({ url: origin.url }, {}, () => origin.close());
