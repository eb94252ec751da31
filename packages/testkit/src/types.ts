import type { CutMode } from './tcp-proxy';

/** Where a test server runs: a local child process or a container. */
export type TestkitRuntime = 'local' | 'docker';

/** A running test server. `restart()` keeps host, port and data; `stop()` frees everything. */
export interface ServerHandle {
  /** Client URL, e.g. `nats://127.0.0.1:40123` or `redis://127.0.0.1:40124`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly runtime: TestkitRuntime;
  /** OS pid of the server process (local runtime, while running); undefined for containers. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface NatsOptions {
  /** Enable JetStream (`-js`). Default true. */
  jetstream?: boolean;
  /** Extra nats-server arguments. */
  args?: string[];
}

export interface NatsHandle extends ServerHandle {
  /** JetStream store dir: a temp dir on disk (local) or the path inside the container (docker). */
  readonly storeDir: string;
}

export interface RedisOptions {
  /** `requirepass`; also put into `url` (`redis://:<password>@host:port`). */
  password?: string;
  /** `appendonly yes`: data survives `restart()`. Default false. */
  appendonly?: boolean;
}

export interface RedisHandle extends ServerHandle {
  readonly password: string | undefined;
}

export interface Servers {
  nats: NatsHandle;
  redis: RedisHandle;
  /** Stops both (in parallel); safe to call twice. */
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  /** Number of nats-server nodes (1..5). Default 3. */
  size?: number;
  /** Cluster name. Default `arb-test`. */
  name?: string;
}

/** A replica of a JetStream stream or consumer as the leader reports it (`$JS.API.STREAM.INFO` → cluster). */
export interface ReplicaInfo {
  readonly name: string;
  readonly current: boolean;
  readonly offline?: boolean;
  readonly active?: number;
  readonly lag?: number;
}

/** Where a stream's (or consumer's) replicas live and which node leads it. */
export interface RaftGroupInfo {
  /** server_name of the leader; undefined while there is none. */
  readonly leader: string | undefined;
  /** The other replicas (the leader is not listed). */
  readonly replicas: readonly ReplicaInfo[];
}

/** One node of a local NATS cluster. Ports and JetStream store survive stop/start/kill. */
export interface NatsNodeHandle {
  /** server_name, e.g. `n1`: what JetStream reports as leader or replica. */
  readonly name: string;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Route listener (other nodes reach it through their route proxies). */
  readonly clusterPort: number;
  /** HTTP monitoring port (/varz, /routez, /jsz, /healthz). */
  readonly monitorPort: number;
  readonly storeDir: string;
  /** OS pid while running. */
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly paused: boolean;
  /** True while `isolate()` holds its route links cut. */
  readonly isolated: boolean;
  /** SIGTERM (SIGKILL after 5 s) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: the node crashes, nothing is flushed or handed over. */
  kill(): Promise<void>;
  /** Starts it again on the same ports with the same store, waits until it answers clients. */
  start(): Promise<void>;
  /** SIGSTOP: the process freezes (every connection stays open, nothing answers). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /**
   * Cuts every route link between this node and the others (its clients stay connected to it): a network split that
   * leaves this node alone in the minority. `blackhole` (default) holds connections open carrying nothing, as a real
   * split does; `reset` closes them.
   */
  isolate(mode?: CutMode): void;
  /** Restores the route links cut by isolate(). */
  heal(): void;
}

export interface NatsClusterHandle {
  readonly name: string;
  readonly nodes: readonly NatsNodeHandle[];
  /** Client URL of every node, in node order. */
  readonly urls: readonly string[];
  /** The same joined with commas: what `ARB__NATS__URL` takes for a cluster. */
  readonly url: string;
  node(name: string): NatsNodeHandle;
  /**
   * JetStream API request (`$JS.API.<api>`) answered by the first running node that answers (never one cut off by
   * isolate() while another is connected: the majority's view); parsed JSON.
   */
  jsApi(api: string, body?: unknown, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Leader and replicas of a stream, or of one of its consumers. */
  raftGroup(stream: string, consumer?: string): Promise<RaftGroupInfo>;
  /** The node leading `stream` (or its consumer), or undefined while there is no leader. */
  streamLeader(stream: string, consumer?: string): Promise<NatsNodeHandle | undefined>;
  /** Until the stream (or consumer) has a leader and every replica is current; resolves with the leader. */
  waitForLeader(stream: string, consumer?: string, timeoutMs?: number): Promise<NatsNodeHandle>;
  /** The node leading the JetStream meta group (from the nodes' /jsz), or undefined. */
  metaLeader(): Promise<NatsNodeHandle | undefined>;
  /** Asks the stream's (or consumer's) leader to step down; resolves with the new leader. */
  stepDown(stream: string, consumer?: string, timeoutMs?: number): Promise<NatsNodeHandle>;
  /** Steps the leader down until `node` leads the stream (or consumer). */
  moveLeader(node: NatsNodeHandle, stream: string, consumer?: string, timeoutMs?: number): Promise<void>;
  /** Client connections by node (each running node's /connz): which process talks to which server. */
  clients(): Promise<{ node: string; name: string }[]>;
  /** What `node` itself stores of `stream` (its /jsz), whatever the leader says; undefined if it holds no replica. */
  storedOn(node: NatsNodeHandle, stream: string): Promise<{ messages: number; lastSeq: number } | undefined>;
  /** Until every running node answers /healthz ok (routes up, JetStream current). */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node and proxy and removes the stores; safe to call twice. */
  stop(): Promise<void>;
}
