/**
 * The generator's own span shape: format-neutral, but closer to the wire than `SpanRecord`
 * (typed attribute values, µs + sub-µs time parts) so that the three writers stay trivial.
 */
import type { ExternalDef, ServiceDef, Statement, StoreUse, TopicDef } from './catalog.ts'

export type GenKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer'

/** Attribute values keep their OTLP type: `int` and `double` are both JS numbers on the wire. */
export type GenAttribute =
  | { readonly key: string; readonly type: 'string'; readonly value: string }
  | { readonly key: string; readonly type: 'bool'; readonly value: boolean }
  | { readonly key: string; readonly type: 'int'; readonly value: number }
  | { readonly key: string; readonly type: 'double'; readonly value: number }
  | { readonly key: string; readonly type: 'strings'; readonly value: readonly string[] }

/**
 * An absolute time split so that every part is a safe integer: microseconds since the Unix
 * epoch (about 1.7e15) plus the nanoseconds inside that microsecond (0..999).
 * Nanoseconds since the epoch (about 1.7e18) would not fit a double exactly.
 */
export interface GenTime {
  readonly us: number
  readonly subNs: number
}

export interface GenEvent {
  readonly time: GenTime
  readonly name: string
  readonly attributes: readonly GenAttribute[]
}

export interface RemoteEndpoint {
  readonly serviceName: string
  readonly ipv4?: string
  readonly port: number
}

export interface ScopeDef {
  readonly name: string
  readonly version: string
}

/** One running copy of a service: its resource attributes are fixed for a whole run. */
export interface ServiceInstance {
  readonly def: ServiceDef
  readonly ipv4: string
  readonly resource: readonly GenAttribute[]
}

export interface GenSpan {
  /** Which generated trace (0-based) the span belongs to; traces are emitted one after another. */
  readonly traceIndex: number
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId: string | undefined
  /** 0 for the root. */
  readonly depth: number
  readonly service: ServiceInstance
  readonly scope: ScopeDef
  readonly name: string
  readonly kind: GenKind
  readonly start: GenTime
  readonly end: GenTime
  readonly attributes: readonly GenAttribute[]
  readonly events: readonly GenEvent[]
  readonly isError: boolean
  /** Set exactly when `isError`. */
  readonly statusMessage: string | undefined
  /** The peer of CLIENT and PRODUCER spans (Zipkin `remoteEndpoint`). */
  readonly remote: RemoteEndpoint | undefined
}

export type PlanRole = 'entry' | 'consumer' | 'internal' | 'chain' | 'call' | 'produce' | 'store' | 'external'

/**
 * A span that has been decided (role, budget, time window) but not yet described. The tree
 * generator keeps a stack of these; `describeSpan` turns one into names and attributes.
 * Times are ns offsets from the run's base epoch (integers, far below 2^53). Every field is
 * always present (possibly undefined) so that all nodes share one hidden class.
 */
export interface PlanNode {
  readonly role: PlanRole
  readonly service: ServiceInstance
  /** How many spans this node's subtree holds, itself included. */
  readonly budget: number
  readonly depth: number
  readonly parentSpanId: string | undefined
  readonly startNs: number
  readonly endNs: number
  readonly isError: boolean
  /** call: the callee; its SERVER child runs there. */
  readonly target: ServiceInstance | undefined
  /** entry/call: the callee's route or gRPC method; internal: the operation name. */
  readonly op: string | undefined
  /** entry/call: HTTP status or gRPC status code, shared by the CLIENT/SERVER pair. */
  readonly statusCode: number | undefined
  readonly topic: TopicDef | undefined
  readonly storeUse: StoreUse | undefined
  readonly statement: Statement | undefined
  readonly external: ExternalDef | undefined
  readonly route: string | undefined
  /** chain: recursion level, 1 for the outermost call. */
  readonly chainLevel: number | undefined
  /** Shapes reserved at the root: a deep recursive chain or a wide fan-out below this node. */
  readonly special: 'root' | 'chain' | 'fanout' | undefined
}
