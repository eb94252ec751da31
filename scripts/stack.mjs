// The services `npm start` runs, in start order. One place to add a service or change its replicas.
//   name       log prefix (`name-2` for the second instance when instances > 1)
//   entry      built entry point, relative to the repo root; entries not built yet are skipped
//   instances  how many processes
//   env        extra environment (on top of ARB_MODE, ARB__NATS__URL, ARB__REDIS__URL, ARB__HTTP__PORT, ARB_INSTANCE_ID)
//   httpPort   first /metrics-/healthz port; instance i gets httpPort + i (a taken port is replaced by a free one)
//   modes      only in these modes (default: every mode)
//   readyLine  wait for a stdout/stderr line matching this before starting the next entries
//   role       'stats': the stats service; the live/final summary reads its /stats on httpPort, and it is stopped
//              after the other services (so it has read the whole journal when its totals are compared with it)
export const services = [
  {
    name: 'exchange-sim',
    entry: 'services/exchange-sim/dist/main.js',
    instances: 1,
    httpPort: 9101,
    modes: ['sim'],
    readyLine: /"event":"listening"/,
  },
  { name: 'feed-ingestor-binance', entry: 'services/feed-ingestor/dist/main.js', instances: 1, httpPort: 9110, env: { VENUE: 'binance' } },
  { name: 'feed-ingestor-coinbase', entry: 'services/feed-ingestor/dist/main.js', instances: 1, httpPort: 9111, env: { VENUE: 'coinbase' } },
  { name: 'detector', entry: 'services/detector/dist/main.js', instances: 1, httpPort: 9120 },
  { name: 'executor', entry: 'services/executor/dist/main.js', instances: 2, httpPort: 9130 },
  { name: 'stats', entry: 'services/stats/dist/main.js', instances: 1, httpPort: 9140, role: 'stats' },
];
