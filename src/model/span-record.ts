/**
 * The format-neutral span that every importer produces. Importers normalise ids, times,
 * kinds and statuses into this shape once, at the boundary; `buildTraces` then turns
 * records into immutable `Trace`s. Nothing here knows which format a span came from.
 */

/**
 * An attribute value, keeping the OTLP AnyValue type so that a round trip is exact:
 * string, boolean, double (`number`), int64 (`bigint`), bytes (`Uint8Array`),
 * array, key/value list, or `null` for an empty AnyValue (`{}`), which is legal.
 */
export type AttrValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | null
  | readonly AttrValue[]
  | KeyValueList

export interface KeyValueList {
  readonly kvlist: readonly Attribute[]
}

export interface Attribute {
  readonly key: string
  readonly value: AttrValue
}

/** OTLP numbering, which every format is mapped onto. */
export const SpanKind = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
} as const
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind]
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const

/** OTLP numbering: only Error is an error. */
export const StatusCode = { Unset: 0, Ok: 1, Error: 2 } as const
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode]
export const STATUS_CODE_NAMES = ['unset', 'ok', 'error'] as const

export interface InstrumentationScope {
  readonly name: string
  readonly version?: string
  readonly attributes?: readonly Attribute[]
}

export interface SpanEvent {
  /** Absolute time in ns since the Unix epoch. */
  readonly timeNs: bigint
  readonly name: string
  readonly attributes: readonly Attribute[]
}

/** How a link relates two spans. Jaeger FOLLOWS_FROM and extra CHILD_OF references become links. */
export type LinkKind = 'link' | 'follows_from' | 'child_of'

export interface SpanLink {
  readonly traceId: string
  readonly spanId: string
  readonly kind: LinkKind
  readonly traceState?: string
  readonly attributes: readonly Attribute[]
}

export interface SpanRecord {
  /** Lower-case hex left-padded to 32 chars; non-hex ids from test data are kept lower-cased as they are. */
  readonly traceId: string
  /** Lower-case hex left-padded to 16 chars (or the original non-hex id). Not unique: see `buildTraces`. */
  readonly spanId: string
  /** Undefined for a root (absent, empty or all-zero parent id in the input). */
  readonly parentSpanId?: string
  readonly name: string
  readonly service: string
  readonly kind: SpanKind
  /** Absolute start in ns since the Unix epoch; undefined when the input has none. */
  readonly startTimeNs: bigint | undefined
  /** Undefined when the input has none; negative when the input says so (buildTraces warns). */
  readonly durationNs: number | undefined
  readonly statusCode: StatusCode
  readonly statusMessage?: string
  readonly attributes: readonly Attribute[]
  /** Resource attributes (OTLP resource, Jaeger process tags, Zipkin local endpoint); often shared between spans. */
  readonly resource: readonly Attribute[]
  readonly scope?: InstrumentationScope
  readonly events: readonly SpanEvent[]
  readonly links: readonly SpanLink[]
  readonly traceState?: string
  /** W3C trace flags and OTLP flag bits, when the input has them. */
  readonly flags?: number
  /**
   * True when the parent link does not block the parent (Jaeger FOLLOWS_FROM used as the parent
   * because no CHILD_OF exists): the critical path treats such a child as asynchronous.
   */
  readonly isAsyncParent?: boolean
  /** Set by importers that had to invent a unique id (Zipkin shared server spans): the id as written in the input. */
  readonly originalSpanId?: string
  /** Anomalies the importer found for this span, in words (e.g. Jaeger adjuster warnings). */
  readonly warnings?: readonly string[]
}

export type FormatId =
  | 'jaeger-json'
  | 'jaeger-api-v3'
  | 'zipkin-v2'
  | 'zipkin-v1'
  | 'otlp-json'
  | 'otlp-protobuf'
  | 'tempo-json'

export type WarningKind =
  | 'orphan'
  | 'cycle'
  | 'duplicate-span-id'
  | 'duplicate-span-removed'
  | 'child-outside-parent'
  | 'clock-skew'
  | 'negative-duration'
  | 'missing-duration'
  | 'missing-start'
  | 'attribute-truncated'
  | 'duplicate-attribute'
  | 'skipped-document'
  | 'invalid-span'
  | 'source-warning'

/** An anomaly found while importing a file or building a trace. Nothing is dropped without one. */
export interface TraceWarning {
  readonly kind: WarningKind
  readonly message: string
  /** The span ids involved, as shown to the user (may be empty for file-level warnings). */
  readonly spanIds: readonly string[]
}

/** What one importer returns for one document. */
export interface ImportResult {
  readonly spans: SpanRecord[]
  readonly warnings: TraceWarning[]
}
