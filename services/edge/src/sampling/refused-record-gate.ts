// Decides, once per refused request, whether its records (http_requests and access_requests) are published, and marks sampled ones.
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { RefusedRecordsConfig } from '../config/publishing-section.js';
import { DEFAULT_REFUSED_RECORDS } from '../config/publishing-section.js';
import type { PublishedMessage } from '../publish/published-message.js';
import { createRefusalSampler, SAMPLE_INTERVAL_HEADER } from './refusal-sampler.js';

export interface RefusedRecordGate {
  /** An http_requests record: 0 to leave it out, else its sample interval. Allowed requests are always 1. */
  forRequest(facts: { readonly rayId: string; readonly clientIp: string; readonly action: string }): number;
  /** An access_requests record: the same decision as its request's http_requests record. */
  forAccess(event: { readonly rayId: string; readonly ip: string; readonly allowed: boolean }): number;
}

export function createRefusedRecordGate(config: RefusedRecordsConfig | undefined, registry: Registry, now?: () => number): RefusedRecordGate {
  const sampler = createRefusalSampler(config ?? DEFAULT_REFUSED_RECORDS, now);
  const sampledOut = new Counter({ name: 'sluice_edge_refused_records_sampled_out_total', help: 'Refused requests whose records were left out: beyond refused_records.per_ip in a period, and not the one in sample_one_in kept', registers: [registry] });
  const sampled = new Counter({ name: 'sluice_edge_refused_records_sampled_total', help: 'Records of refused requests kept by sampling: each stands for sample_one_in requests (header sluice-sample-interval)', registers: [registry] });
  /** Refused requests whose access record went first: the http record, at the response's end, follows that decision. Holds requests in progress only. */
  const decided = new Map<string, number>();
  const decide = (ip: string): number => {
    const interval = sampler.admit(ip);
    if (interval === 0) sampledOut.inc();
    else if (interval > 1) sampled.inc();
    return interval;
  };
  return {
    forRequest(facts) {
      if (facts.action !== 'block') return 1;
      const earlier = decided.get(facts.rayId);
      if (earlier === undefined) return decide(facts.clientIp);
      decided.delete(facts.rayId);
      return earlier;
    },
    forAccess(event) {
      if (event.allowed) return 1;
      const interval = decide(event.ip);
      decided.set(event.rayId, interval);
      return interval;
    },
  };
}

/** The message as published: a sampled one says how many requests it stands for. */
export function withSampleInterval(message: PublishedMessage, interval: number): PublishedMessage {
  return interval <= 1 ? message : { ...message, headers: { ...message.headers, [SAMPLE_INTERVAL_HEADER]: String(interval) } };
}
