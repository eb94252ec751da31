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
