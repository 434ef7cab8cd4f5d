// The destination conformance suite for splunk:// against the protocol-faithful HEC receiver (no real
// Splunk can be had here), over HTTPS with a certificate the destination is told to trust.
import { defineDestinationConformance } from '@sluice/destination-conformance';
import { createHttpsTransport, createSplunkDestination, parseSplunkConf } from '@sluice/destinations';
import { createSelfSignedCertificate, startHecReceiver } from '@sluice/test-receivers';
import { runTag } from '../../src/index.js';

const TOKEN = `${runTag()}-${runTag()}-hec-token`;
const CHANNEL = '7f4c1d2e-9b3a-4e5f-8a6b-1c2d3e4f5a6b';

defineDestinationConformance('splunk', async () => {
  const tls = await createSelfSignedCertificate();
  const token = TOKEN;
  const receiver = await startHecReceiver({ tls, token });
  const conf = `splunk://${receiver.address}/services/collector/raw?channel=${CHANNEL}&sourcetype=cloudflare:json&header_Authorization=Splunk%20${token}`;
  const parsed = parseSplunkConf(conf);
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    secret: token,
    create: () => createSplunkDestination(parsed.config, { transport: createHttpsTransport({ rejectUnauthorized: true, ca: tls.cert }) }),
    failNext: (count, status, headers) => receiver.failNext(count, status, headers),
    hangNext: () => receiver.hangNext(),
    requests: () => Promise.resolve(receiver.requests.map((request) => ({ url: `${request.path}?${new URLSearchParams(request.query).toString()}`, headers: request.headers }))),
    /** The raw endpoint indexes one event per line: consecutive events of one request make one batch text again. */
    accepted() {
      const texts: string[] = [];
      let current = '';
      let batch = '';
      for (const event of receiver.events) {
        const line = String(event.event);
        const tag = /"RayID":"([^"]+)-\d+"/.exec(line)?.[1] ?? '';
        if (tag !== batch && current !== '') {
          texts.push(current);
          current = '';
        }
        batch = tag;
        current += `${line}\n`;
      }
      if (current !== '') texts.push(current);
      return Promise.resolve(texts);
    },
    close: () => receiver.close(),
  };
}, { requestShape: { headers: { authorization: `Splunk ${TOKEN}` }, query: { channel: CHANNEL, sourcetype: 'cloudflare:json' } } });
