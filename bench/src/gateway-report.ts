// The gateway section's figures as the bench prints them (rows against their targets) and as its --json output holds them.
import { floodRow, syncRow } from './gateway-hostile.js';
import type { GatewayFigures, MeasuredRun, TargetRuns } from './gateway-section.js';
import { PAGE_BYTES } from './gateway-section.js';

export const GATEWAY_TARGETS = {
  /** Saturated requests/s through the gateway (Kafka up, all its workers) over the bare Node.js proxy's, measured in the same run. */
  throughput_ratio_to_bare_proxy: 0.7,
  /** p99 through the gateway minus p99 direct, at the paced moderate load with Kafka up, milliseconds. */
  added_p99_ms: 1,
};

const round = (value: number, digits: number): number => +value.toFixed(digits);
const ms = (value: number): string => value.toFixed(2);
const reached = (ok: boolean): string => (ok ? 'reached' : 'NOT reached');
const signedMs = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} ms`;

function runJson(run: MeasuredRun): Record<string, number> {
  return {
    requests_per_s: Math.round(run.requestsPerSecond),
    p50_ms: round(run.p50Ms, 3),
    p99_ms: round(run.p99Ms, 3),
    p999_ms: round(run.p999Ms, 3),
    max_ms: round(run.maxMs, 3),
    requests: run.responses,
    cpu_us_per_request: Math.round(run.cpuUsPerRequest),
    loop_delay_p99_ms: round(run.loopDelay.p99Ms, 3),
    loop_delay_max_ms: round(run.loopDelay.maxMs, 3),
  };
}

function targetJson(runs: TargetRuns, direct: TargetRuns): Record<string, unknown> {
  return {
    saturated: runJson(runs.saturated),
    paced: runJson(runs.paced),
    throughput_ratio_to_direct: round(runs.saturated.requestsPerSecond / direct.saturated.requestsPerSecond, 3),
    added_p50_ms: round(runs.paced.p50Ms - direct.paced.p50Ms, 3),
    added_p99_ms: round(runs.paced.p99Ms - direct.paced.p99Ms, 3),
  };
}

export function gatewayReport(f: GatewayFigures): { json: Record<string, unknown>; rows: [string, string][] } {
  // The gateway against what any Node.js proxy costs here: the share of the ceiling it keeps, not only of the bare origin.
  const ofBareProxy = (runs: TargetRuns): number => runs.saturated.requestsPerSecond / f.bareProxy.saturated.requestsPerSecond;
  const up = { ...targetJson(f.kafkaUp, f.direct), throughput_ratio_to_bare_proxy: round(ofBareProxy(f.kafkaUp), 3) };
  const down = { ...targetJson(f.kafkaDown, f.direct), throughput_ratio_to_bare_proxy: round(ofBareProxy(f.kafkaDown), 3) };
  const recordsMatch = f.topicRecords === f.answered;
  const json = {
    flood: { users: { requests_per_s: round(f.flood.users.requestsPerSecond, 0), p50_ms: round(f.flood.users.p50Ms, 3), p99_ms: round(f.flood.users.p99Ms, 3) }, refused_per_s: round(f.flood.flood.answered / f.flood.seconds, 0), records_per_s: round(f.flood.recordsPerSecond, 0), spool_records_after: f.flood.after.spoolRecords, dropped_after: f.flood.after.dropped },
    sync: { saturated: runJson(f.sync.saturated), paced: runJson(f.sync.paced), throughput_ratio_to_async: round(f.sync.saturated.requestsPerSecond / f.kafkaUp.saturated.requestsPerSecond, 3) },
    gateway_workers: f.workers,
    targets_reached: { throughput_ratio_to_bare_proxy: ofBareProxy(f.kafkaUp) >= GATEWAY_TARGETS.throughput_ratio_to_bare_proxy, added_p99_ms: f.kafkaUp.paced.p99Ms - f.direct.paced.p99Ms <= GATEWAY_TARGETS.added_p99_ms },
    page_bytes: PAGE_BYTES,
    saturated_connections: f.saturatedConnections,
    paced_connections: f.pacedConnections,
    paced_requests_per_s: f.pacedRate,
    direct: { saturated: runJson(f.direct.saturated), paced: runJson(f.direct.paced) },
    bare_proxy: targetJson(f.bareProxy, f.direct),
    kafka_up: { ...up, spooled: f.kafkaUp.stats.spooled, peak_rss_mb: Math.round(f.kafkaUp.stats.peakRssMb) },
    kafka_down: {
      ...down,
      spooled: f.kafkaDown.stats.spooled - f.kafkaUp.stats.spooled,
      dropped: f.kafkaDown.stats.dropped,
      spool_records: f.kafkaDown.stats.spoolRecords,
      spool_bytes: f.kafkaDown.stats.spoolBytes,
      peak_rss_mb: Math.round(f.kafkaDown.stats.peakRssMb),
    },
    drain: {
      drained: f.drain.drained,
      broker_start_s: round(f.drain.brokerStartSeconds, 2),
      drain_s: round(f.drain.drainSeconds, 2),
      replayed: f.drain.stats.replayed,
      spool_records_after: f.drain.stats.spoolRecords,
      mode_after: f.drain.stats.mode,
      paced_while_draining: runJson(f.drain.paced),
      paced_s: round(f.drain.pacedSeconds, 2),
      added_p99_ms: round(f.drain.paced.p99Ms - f.direct.paced.p99Ms, 3),
    },
    topic_records: f.topicRecords,
    requests_answered: f.answered,
    requests_unanswered: f.unanswered,
    records_match_answers: recordsMatch,
    section_seconds: round(f.seconds, 1),
    load_average: { start: round(f.load.start, 2), end: round(f.load.end, 2), cores: f.load.cores },
    targets: GATEWAY_TARGETS,
  };

  const direct = f.direct;
  const pacedFigures = (paced: MeasuredRun): string => {
    // A paced run that cannot keep its rate measures a queue, not a moderate load: say so beside its figures.
    const short = paced.requestsPerSecond < f.pacedRate * 0.95 ? ` (kept only ${Math.round(paced.requestsPerSecond)} requests/s)` : '';
    // The target's own event loop stalls, beside the latencies: they tell a slow process from a busy machine.
    return `p50 ${ms(paced.p50Ms)} ms, p99 ${ms(paced.p99Ms)} ms${short} (event loop delay p99 ${ms(paced.loopDelay.p99Ms)} ms)`;
  };
  const saturated = (run: MeasuredRun): string => `${Math.round(run.requestsPerSecond)} requests/s (${Math.round(run.cpuUsPerRequest)} µs CPU each)`;
  const through = (runs: TargetRuns, also = ''): string =>
    `${saturated(runs.saturated)} = ${(runs.saturated.requestsPerSecond / direct.saturated.requestsPerSecond).toFixed(3)} of direct${also}; ${pacedFigures(runs.paced)}: p99 ${signedMs(runs.paced.p99Ms - direct.paced.p99Ms)}`;
  const rows: [string, string][] = [
    [
      'origin, direct',
      `${saturated(direct.saturated)} at ${f.saturatedConnections} connections, ${PAGE_BYTES} B page; ${pacedFigures(direct.paced)} at ${f.pacedRate} requests/s paced over ${f.pacedConnections}`,
    ],
    ['bare proxy (ceiling)', through(f.bareProxy)],
    ['gateway, Kafka up', `${f.workers} worker${f.workers === 1 ? '' : 's'}: ${through(f.kafkaUp, `, ${ofBareProxy(f.kafkaUp).toFixed(2)} of a bare Node proxy`)}`],
    [
      'gateway targets',
      `throughput ${ofBareProxy(f.kafkaUp).toFixed(2)} of the bare Node proxy (target ≥ ${GATEWAY_TARGETS.throughput_ratio_to_bare_proxy}): ${reached(json.targets_reached.throughput_ratio_to_bare_proxy)}; ` +
        `added p99 ${signedMs(f.kafkaUp.paced.p99Ms - f.direct.paced.p99Ms)} at ${f.pacedRate} requests/s paced, Kafka up (target ≤ +${GATEWAY_TARGETS.added_p99_ms} ms): ${reached(json.targets_reached.added_p99_ms)}`,
    ],
    [
      'gateway, Kafka down',
      `${through(f.kafkaDown)}; ${json.kafka_down.spooled} records spooled (${(json.kafka_down.spool_bytes / 1e6).toFixed(1)} MB on disk), ${json.kafka_down.dropped} dropped`,
    ],
    [
      'gateway spool drain',
      `${f.drain.drained && f.drain.stats.spoolRecords === 0 ? 'drained' : 'NOT drained'}: broker back in ${f.drain.brokerStartSeconds.toFixed(1)} s, spool replayed ${f.drain.drainSeconds.toFixed(1)} s later ` +
        `(${f.drain.stats.replayed} records in all) under a paced load meanwhile (${f.drain.pacedSeconds.toFixed(1)} s): ${pacedFigures(f.drain.paced)}: p99 ${signedMs(f.drain.paced.p99Ms - direct.paced.p99Ms)}; ` +
        `sluice.http_requests holds ${f.topicRecords} records for ${f.answered} requests answered`,
    ],
  ];
  if (!recordsMatch) {
    rows.push([
      'MISMATCH',
      `sluice.http_requests holds ${f.topicRecords} records but the gateway answered ${f.answered} requests (${f.topicRecords - f.answered > 0 ? '+' : ''}${f.topicRecords - f.answered}; ${f.unanswered} requests got no answer)`,
    ]);
  }
  rows.push(floodRow(f.flood, direct.paced.p99Ms), syncRow(f.sync, f.kafkaUp));
  rows.push(['gateway section', `${f.seconds.toFixed(0)} s; gateway peak RSS ${json.kafka_down.peak_rss_mb} MB; load average ${f.load.start.toFixed(1)} → ${f.load.end.toFixed(1)} on ${f.load.cores} cores`]);
  return { json, rows };
}
