// A discrete-event model of Lambda's pool of environments: how many are created, how long they live, how many
// invocations each serves, and how many a per-invocation leak would drive into their memory limit.

/**
 * Defaults, and where they come from (the README repeats this):
 * - idleTimeoutMs 10 min: Mikhail Shilkov's measurements from July 2019 on show an idle environment recycled
 *   10 minutes after its last request (https://mikhail.io/2019/08/aws-lambda-cold-starts-after-10-minutes/).
 * - maxLifetimeMs 90 min, no jitter: AWS says only that Lambda "terminates execution environments every few
 *   hours ... even for functions that are invoked continuously"
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html) and does not publish the
 *   value (re:Post, "Lambda runtime refresh period limit"); Yan Cui saw ~4 h in 2017 (theburningmonk.com,
 *   "how long does AWS Lambda keep your idle functions around"). Seed 002 (2021) is the measurement we fit:
 *   its median environment served 10,911 invocations at 2 per second (500 ms each), i.e. lived ~91 min busy.
 * - initMs 100: the Init Duration of a small function like seed 002's (a Python handler with three imports);
 *   small Node.js ZIP functions report 100-250 ms. Pass your measured Init Duration. It matters: the longer a
 *   cold start, the more extra environments the burst at each retirement creates.
 * - baselineMemoryMB 70: roughly the Max Memory Used a minimal Node.js handler reports; pass your own.
 * With these, seed 002's setting gives 72 environments, 8,333 mean / 10,800 median invocations, 71 min mean
 * life; the seed measured 72, 8,333 / 10,911 and ~69 min.
 */
export const SIMULATION_DEFAULTS: Readonly<Required<Pick<SimulationOptions, DefaultedOption>>> =
  Object.freeze({
    initMs: 100,
    idleTimeoutMs: 10 * 60_000,
    maxLifetimeMs: 90 * 60_000,
    lifetimeJitter: 0,
    arrival: 'fixed',
    seed: 1,
    memoryMB: 128,
    baselineMemoryMB: 70,
  });

type DefaultedOption =
  | 'initMs'
  | 'idleTimeoutMs'
  | 'maxLifetimeMs'
  | 'lifetimeJitter'
  | 'arrival'
  | 'seed'
  | 'memoryMB'
  | 'baselineMemoryMB';
type ResolvedOptions = SimulationOptions & Required<Pick<SimulationOptions, DefaultedOption>>;

export interface SimulationOptions {
  /** Requests per second arriving at the function. Not needed with `arrivalsMs`. */
  rps?: number;
  /** Replay these arrival times (ms, ascending) instead of generating them from `rps`. */
  arrivalsMs?: readonly number[];
  /** How long the traffic lasts (ms). Give this or `requests`. */
  durationMs?: number;
  /** How many requests arrive in all. Give this or `durationMs`. */
  requests?: number;
  /** Handler duration of every warm invocation (ms), or measured samples drawn at random with the seed. */
  handlerMs: number | readonly number[];
  /** Init Duration a cold start adds before its first invocation (ms). */
  initMs?: number;
  /** An environment idle this long is shut down (ms). */
  idleTimeoutMs?: number;
  /** An environment is retired at the first idle moment after this age (ms); Infinity for never. */
  maxLifetimeMs?: number;
  /** Each environment's lifetime is drawn uniformly from [maxLifetime x (1 - jitter), maxLifetime]. */
  lifetimeJitter?: number;
  /** 'fixed': one request every 1/rps s, like seed 002's client; 'poisson': exponential gaps, seeded. */
  arrival?: 'fixed' | 'poisson';
  /** Seed of the PRNG used for Poisson arrivals, handler samples and lifetime jitter. */
  seed?: number;
  /** Heap growth per invocation found by `warmleak check` (bytes). Enables the memory-limit model. */
  leakBytesPerInvocation?: number;
  /** The function's memory size (MB); Lambda's default is 128. */
  memoryMB?: number;
  /** Memory an environment uses before any leak (MB). */
  baselineMemoryMB?: number;
  /** Record one row per request (for checking invariants; memory grows with the request count). */
  trace?: boolean;
}

export type EndReason = 'idle' | 'maxLifetime' | 'outOfMemory' | 'endOfRun';

export interface TraceRow {
  request: number;
  environment: number;
  arrivalMs: number;
  /** When the environment finishes this request (including Init Duration on a cold start). */
  endMs: number;
  coldStart: boolean;
  outOfMemory: boolean;
}

export interface Summary {
  mean: number;
  median: number;
  min: number;
  max: number;
}

export interface MemoryLimitResult {
  memoryMB: number;
  baselineMemoryMB: number;
  leakBytesPerInvocation: number;
  /** Invocations an environment survives before the leak reaches its memory limit (Infinity when no leak). */
  invocationsToLimit: number;
  /** Environments that reached their memory limit before idle shutdown or retirement recycled them. */
  environmentsHittingLimit: number;
  /** Invocations that failed with Runtime.OutOfMemory (the one that reached the limit, per environment). */
  failedInvocations: number;
  /** When the first environment ran out of memory (ms from the first request), or null. */
  firstHitMs: number | null;
}

export interface SimulationSettings {
  rps: number | null;
  arrival: 'fixed' | 'poisson' | 'replay';
  handlerMs: number | number[];
  initMs: number;
  idleTimeoutMs: number;
  maxLifetimeMs: number;
  lifetimeJitter: number;
  seed: number;
  memoryMB: number;
  baselineMemoryMB: number;
  leakBytesPerInvocation: number | null;
}

export interface SimulationResult {
  /** The settings the run used, defaults filled in (Infinity prints as null in JSON). */
  settings: SimulationSettings;
  requests: number;
  /** Time from the first arrival to the last completion (ms). */
  spanMs: number;
  environmentsCreated: number;
  coldStarts: number;
  coldStartRate: number;
  /** Most environments busy at the same moment. */
  peakConcurrency: number;
  invocationsPerEnvironment: Summary;
  /** Creation to shutdown (ms); environments still alive at the end are cut at the last completion. */
  lifetimeMs: Summary;
  endReasons: Record<EndReason, number>;
  memory: MemoryLimitResult | null;
  trace?: TraceRow[];
}

interface SimEnvironment {
  id: number;
  createdMs: number;
  /** The age at which this environment is retired (drawn once, with jitter). */
  retireAtMs: number;
  busyUntilMs: number;
  invocations: number;
}

/** mulberry32: a small, fast, seedable PRNG, so a simulation is reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The pool's state while traffic is replayed: busy environments in a min-heap by busyUntil; free ones in a stack
 * whose top was freed most recently, because Lambda tends to route to the most recently used environment, leaving
 * the rest to idle out.
 */
class SimulatedPool {
  readonly busy = new MinHeap<SimEnvironment>((a, b) => a.busyUntilMs - b.busyUntilMs);
  readonly free: SimEnvironment[] = [];
  freeBottom = 0;
  readonly invocationCounts: number[] = [];
  readonly lifetimes: number[] = [];
  readonly endReasons: Record<EndReason, number> = { idle: 0, maxLifetime: 0, outOfMemory: 0, endOfRun: 0 };
  created = 0;
  peak = 0;
  failed = 0;
  firstHitMs: number | null = null;
  lastEndMs = 0;

  constructor(
    private readonly o: ResolvedOptions,
    /** The invocation that takes an environment past its limit fails and the environment is destroyed. */
    readonly invocationsToLimit: number,
  ) {}

  finish(env: SimEnvironment, endMs: number, reason: EndReason): void {
    this.invocationCounts.push(env.invocations);
    this.lifetimes.push(endMs - env.createdMs);
    this.endReasons[reason] += 1;
  }

  /** When a free environment shuts down on its own: idle timeout, or retirement once past its lifetime. */
  shutdownOf(env: SimEnvironment): [number, EndReason] {
    const idleEnd = env.busyUntilMs + this.o.idleTimeoutMs;
    const retireEnd = Math.max(env.busyUntilMs, env.createdMs + env.retireAtMs);
    return idleEnd <= retireEnd ? [idleEnd, 'idle'] : [retireEnd, 'maxLifetime'];
  }

  /** Environments that finished by `arrivalMs` become free (or are retired, or died of their leak). */
  release(arrivalMs: number): void {
    const { busy, free } = this;
    while (busy.size > 0 && busy.peek().busyUntilMs <= arrivalMs) {
      const env = busy.pop();
      if (env.invocations >= this.invocationsToLimit) this.finish(env, env.busyUntilMs, 'outOfMemory');
      else if (env.busyUntilMs >= env.createdMs + env.retireAtMs)
        this.finish(env, env.busyUntilMs, 'maxLifetime');
      else free.push(env);
    }
    // Drop environments that shut down while idle, oldest first, so the free list stays small.
    while (this.freeBottom < free.length) {
      const [endMs, reason] = this.shutdownOf(free[this.freeBottom]);
      if (endMs > arrivalMs) break;
      this.finish(free[this.freeBottom], endMs, reason);
      this.freeBottom += 1;
    }
    if (this.freeBottom > 1024 && this.freeBottom * 2 > free.length) {
      free.splice(0, this.freeBottom);
      this.freeBottom = 0;
    }
  }

  /** The most recently freed environment still alive at `arrivalMs`, if any. */
  takeFree(arrivalMs: number): SimEnvironment | undefined {
    const { free } = this;
    let env: SimEnvironment | undefined;
    while (free.length > this.freeBottom) {
      const candidate = free.pop() as SimEnvironment;
      const [endMs, reason] = this.shutdownOf(candidate);
      if (endMs > arrivalMs) {
        env = candidate;
        break;
      }
      this.finish(candidate, endMs, reason);
    }
    if (free.length < this.freeBottom) this.freeBottom = free.length;
    return env;
  }

  /** One request at `arrivalMs`: a warm environment if one is free, else a cold start. */
  serve(request: number, arrivalMs: number, draw: Draws, trace: TraceRow[] | undefined): void {
    let env = this.takeFree(arrivalMs);
    const coldStart = env === undefined;
    if (!env) {
      const retireAtMs = draw.lifetime();
      env = { id: this.created, createdMs: arrivalMs, retireAtMs, busyUntilMs: arrivalMs, invocations: 0 };
      this.created += 1;
    }
    env.invocations += 1;
    env.busyUntilMs = arrivalMs + (coldStart ? this.o.initMs : 0) + draw.handlerMs();
    const outOfMemory = env.invocations >= this.invocationsToLimit;
    if (outOfMemory) {
      this.failed += 1;
      if (this.firstHitMs === null) this.firstHitMs = env.busyUntilMs;
    }
    this.lastEndMs = Math.max(this.lastEndMs, env.busyUntilMs);
    this.busy.push(env);
    this.peak = Math.max(this.peak, this.busy.size);
    trace?.push({ request, environment: env.id, arrivalMs, endMs: env.busyUntilMs, coldStart, outOfMemory });
  }

  /** The run ends at the last completion: count what is still alive as cut short, unless it ended before. */
  drain(): void {
    const { busy, free } = this;
    while (busy.size > 0) {
      const env = busy.pop();
      if (env.invocations >= this.invocationsToLimit) this.finish(env, env.busyUntilMs, 'outOfMemory');
      else free.push(env);
    }
    for (let i = this.freeBottom; i < free.length; i++) {
      const [endMs, reason] = this.shutdownOf(free[i]);
      if (endMs <= this.lastEndMs) this.finish(free[i], endMs, reason);
      else this.finish(free[i], this.lastEndMs, 'endOfRun');
    }
  }
}

/** The seeded draws of one run, in the order the model takes them. */
interface Draws {
  lifetime(): number;
  handlerMs(): number;
}

function drawsOf(o: ResolvedOptions, random: () => number): Draws {
  const samples = typeof o.handlerMs === 'number' ? null : [...o.handlerMs];
  return {
    handlerMs: samples ? () => samples[Math.floor(random() * samples.length)] : () => o.handlerMs as number,
    lifetime: () =>
      o.maxLifetimeMs === Number.POSITIVE_INFINITY
        ? o.maxLifetimeMs
        : o.maxLifetimeMs * (1 - o.lifetimeJitter * random()),
  };
}

/** Runs the model. Throws RangeError for settings that cannot describe traffic (the CLI turns these into UsageError). */
export function simulatePool(options: SimulationOptions): SimulationResult {
  const o: ResolvedOptions = { ...SIMULATION_DEFAULTS, ...withoutUndefined(options) };
  validate(o);
  const random = mulberry32(o.seed);
  const replay = o.arrivalsMs;
  const intervalMs = replay ? 0 : 1000 / (o.rps as number);
  const requests = replay
    ? replay.length
    : (o.requests ?? Math.floor(((o.durationMs as number) * (o.rps as number)) / 1000));
  const draws = drawsOf(o, random);
  const leak = o.leakBytesPerInvocation ?? 0;
  const headroomBytes = (o.memoryMB - o.baselineMemoryMB) * 1024 * 1024;
  const pool = new SimulatedPool(
    o,
    leak > 0 ? Math.max(1, Math.ceil(headroomBytes / leak)) : Number.POSITIVE_INFINITY,
  );
  const trace: TraceRow[] | undefined = options.trace ? [] : undefined;
  let arrivalMs = 0;
  for (let request = 0; request < requests; request++) {
    if (replay) arrivalMs = replay[request];
    else if (o.arrival === 'fixed') arrivalMs = request * intervalMs;
    else arrivalMs = request === 0 ? 0 : arrivalMs - Math.log(1 - random()) * intervalMs;
    pool.release(arrivalMs);
    pool.serve(request, arrivalMs, draws, trace);
  }
  pool.drain();
  return simulationResult(o, pool, requests, leak, trace);
}

function simulationResult(
  o: ResolvedOptions,
  pool: SimulatedPool,
  requests: number,
  leak: number,
  trace: TraceRow[] | undefined,
): SimulationResult {
  const replay = o.arrivalsMs;
  const { created, endReasons } = pool;
  return {
    settings: {
      rps: replay ? null : (o.rps as number),
      arrival: replay ? 'replay' : o.arrival,
      handlerMs: typeof o.handlerMs === 'number' ? o.handlerMs : [...o.handlerMs],
      initMs: o.initMs,
      idleTimeoutMs: o.idleTimeoutMs,
      maxLifetimeMs: o.maxLifetimeMs,
      lifetimeJitter: o.lifetimeJitter,
      seed: o.seed,
      memoryMB: o.memoryMB,
      baselineMemoryMB: o.baselineMemoryMB,
      leakBytesPerInvocation: leak > 0 ? leak : null,
    },
    requests,
    spanMs: pool.lastEndMs,
    environmentsCreated: created,
    coldStarts: created,
    coldStartRate: requests === 0 ? 0 : created / requests,
    peakConcurrency: pool.peak,
    invocationsPerEnvironment: summarize(pool.invocationCounts),
    lifetimeMs: summarize(pool.lifetimes),
    endReasons,
    memory:
      leak > 0
        ? {
            memoryMB: o.memoryMB,
            baselineMemoryMB: o.baselineMemoryMB,
            leakBytesPerInvocation: leak,
            invocationsToLimit: pool.invocationsToLimit,
            environmentsHittingLimit: endReasons.outOfMemory,
            failedInvocations: pool.failed,
            firstHitMs: pool.firstHitMs,
          }
        : null,
    ...(trace ? { trace } : {}),
  };
}

function validate(o: ResolvedOptions): void {
  const positive = (name: string, value: number | undefined) => {
    if (value === undefined || !(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`${name} must be a positive number, got ${value}`);
    }
  };
  if (o.arrivalsMs) {
    for (let i = 0; i < o.arrivalsMs.length; i++) {
      const t = o.arrivalsMs[i];
      if (!Number.isFinite(t) || (i > 0 && t < o.arrivalsMs[i - 1])) {
        throw new RangeError('arrivalsMs must be finite times in ascending order');
      }
    }
    if (o.durationMs !== undefined || o.requests !== undefined) {
      throw new RangeError('give arrivalsMs, or rps with durationMs or requests, not both');
    }
  } else {
    positive('rps', o.rps);
    if ((o.durationMs === undefined) === (o.requests === undefined)) {
      throw new RangeError('give exactly one of durationMs and requests');
    }
    if (o.durationMs !== undefined) positive('durationMs', o.durationMs);
    if (o.requests !== undefined && !(Number.isInteger(o.requests) && o.requests >= 0)) {
      throw new RangeError(`requests must be a whole number >= 0, got ${o.requests}`);
    }
  }
  const handler = typeof o.handlerMs === 'number' ? [o.handlerMs] : o.handlerMs;
  if (handler.length === 0 || handler.some((ms) => !(ms >= 0) || !Number.isFinite(ms))) {
    throw new RangeError('handlerMs must be a duration >= 0 or a non-empty list of them');
  }
  if (!(o.initMs >= 0)) throw new RangeError(`initMs must be >= 0, got ${o.initMs}`);
  positive('idleTimeoutMs', o.idleTimeoutMs === Number.POSITIVE_INFINITY ? 1 : o.idleTimeoutMs);
  positive('maxLifetimeMs', o.maxLifetimeMs === Number.POSITIVE_INFINITY ? 1 : o.maxLifetimeMs);
  if (!(o.lifetimeJitter >= 0 && o.lifetimeJitter < 1)) {
    throw new RangeError(`lifetimeJitter must be in [0, 1), got ${o.lifetimeJitter}`);
  }
  if (o.arrival !== 'fixed' && o.arrival !== 'poisson') {
    throw new RangeError(`arrival must be 'fixed' or 'poisson', got ${o.arrival}`);
  }
  positive('memoryMB', o.memoryMB);
  if (o.leakBytesPerInvocation !== undefined && !(o.leakBytesPerInvocation >= 0)) {
    throw new RangeError(`leakBytesPerInvocation must be >= 0, got ${o.leakBytesPerInvocation}`);
  }
  if (o.leakBytesPerInvocation && !(o.baselineMemoryMB < o.memoryMB)) {
    throw new RangeError(`baselineMemoryMB (${o.baselineMemoryMB}) must be below memoryMB (${o.memoryMB})`);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { mean: 0, median: 0, min: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { mean: sum / sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** A binary min-heap; the pool has at most as many busy environments as the peak concurrency. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(items[i], items[parent]) >= 0) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): T {
    const items = this.items;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && this.compare(items[l], items[smallest]) < 0) smallest = l;
        if (r < items.length && this.compare(items[r], items[smallest]) < 0) smallest = r;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}
