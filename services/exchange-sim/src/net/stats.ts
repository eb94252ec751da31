/** Counters of one simulated venue (GET /control/stats, Prometheus). */
export interface VenueStats {
  connectionsOpen: number;
  connectionsTotal: number;
  messagesSent: number;
  messagesDropped: number;
  messagesCorrupted: number;
  messagesDelayed: number;
  /** Messages not sent because the venue was frozen. */
  messagesFrozen: number;
  disconnectsInjected: number;
  freezes: number;
  slowConsumerDisconnects: number;
  pingsSent: number;
  pongsReceived: number;
  pongTimeouts: number;
  subscribeTimeouts: number;
  /** Client messages we could not understand (counted, answered with an error, never fatal). */
  badClientMessages: number;
  restRequests: number;
  rest4xx: number;
  rest5xx: number;
  rest429: number;
  /** REST depth snapshots requested (Binance GET /api/v3/depth), and those served crossed by fault injection. */
  depthSnapshots: number;
  crossedDepthServed: number;
  corruptedByKind: Record<string, number>;
}

export function newVenueStats(): VenueStats {
  return {
    connectionsOpen: 0,
    connectionsTotal: 0,
    messagesSent: 0,
    messagesDropped: 0,
    messagesCorrupted: 0,
    messagesDelayed: 0,
    messagesFrozen: 0,
    disconnectsInjected: 0,
    freezes: 0,
    slowConsumerDisconnects: 0,
    pingsSent: 0,
    pongsReceived: 0,
    pongTimeouts: 0,
    subscribeTimeouts: 0,
    badClientMessages: 0,
    restRequests: 0,
    rest4xx: 0,
    rest5xx: 0,
    rest429: 0,
    depthSnapshots: 0,
    crossedDepthServed: 0,
    corruptedByKind: {},
  };
}
