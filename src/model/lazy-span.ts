import type { Attribute, InstrumentationScope, SpanEvent, SpanKind, SpanLink, SpanRecord, StatusCode } from './span-record.ts'

/**
 * Span records whose details are read from the input on first use.
 *
 * Building the attribute, event and link objects of every span costs importers as much as
 * parsing the file again, and most of them are never looked at: the waterfall, flame graph and
 * critical path need only the hot fields. A `LazySpanRecord` holds the hot fields as plain
 * properties and keeps the raw input (the parsed JSON object) with a `DetailsReader` that turns it
 * into `attributes`, `events` and `links` the first time one of them is read, once.
 *
 * The rule that keeps this honest: an importer defers a span's details only when a cheap check
 * has proved that reading them cannot produce a warning (no repeated key, no unreadable entry…).
 * Otherwise it reads them at once, as before. So the warnings of an import are complete when the
 * import returns, and a lazy record reads exactly as the eager one would.
 *
 * Structured clone and object spread copy own properties only, so a lazy record must go through
 * `materializeSpan` before it is posted to another thread or copied.
 */

export interface SpanDetails {
  readonly attributes: readonly Attribute[]
  readonly events: readonly SpanEvent[]
  readonly links: readonly SpanLink[]
}

/**
 * Turns an importer's raw span into its details. Must be pure (same raw, same details) and must
 * not warn: it runs at some later time, when the import's warnings have been handed out.
 */
export interface DetailsReader<Raw = never> {
  readDetails(raw: Raw): SpanDetails
}

export class LazySpanRecord<Raw = never> implements SpanRecord {
  // Optional fields are declared, not initialised: an absent field stays absent (`'x' in span`
  // is false), as in the plain records of eager importers.
  declare parentSpanId?: string
  declare statusMessage?: string
  declare scope?: InstrumentationScope
  declare traceState?: string
  declare flags?: number
  declare isAsyncParent?: boolean
  declare originalSpanId?: string
  declare warnings?: readonly string[]

  traceId: string
  spanId: string
  name: string
  service: string
  kind: SpanKind
  startTimeNs: bigint | undefined
  durationNs: number | undefined
  statusCode: StatusCode
  resource: readonly Attribute[]

  #raw: Raw | undefined
  #reader: DetailsReader<Raw> | undefined
  #details: SpanDetails | undefined

  constructor(
    traceId: string,
    spanId: string,
    name: string,
    service: string,
    kind: SpanKind,
    startTimeNs: bigint | undefined,
    durationNs: number | undefined,
    statusCode: StatusCode,
    resource: readonly Attribute[],
    raw: Raw,
    reader: DetailsReader<Raw>,
  ) {
    this.traceId = traceId
    this.spanId = spanId
    this.name = name
    this.service = service
    this.kind = kind
    this.startTimeNs = startTimeNs
    this.durationNs = durationNs
    this.statusCode = statusCode
    this.resource = resource
    this.#raw = raw
    this.#reader = reader
  }

  /** True until the details have been read. */
  get isDeferred(): boolean {
    return this.#details === undefined
  }

  get attributes(): readonly Attribute[] {
    return this.#load().attributes
  }

  get events(): readonly SpanEvent[] {
    return this.#load().events
  }

  get links(): readonly SpanLink[] {
    return this.#load().links
  }

  #load(): SpanDetails {
    if (this.#details === undefined) {
      this.#details = (this.#reader as DetailsReader<Raw>).readDetails(this.#raw as Raw)
      // The raw input is no longer needed: let it go with the rest of the parsed document.
      this.#raw = undefined
      this.#reader = undefined
    }
    return this.#details
  }
}

/**
 * A plain-object copy of a span record (details read if they were deferred), safe to post to
 * another thread, spread or compare field by field. Plain records are returned as they are.
 */
export function materializeSpan(span: SpanRecord): SpanRecord {
  if (!(span instanceof LazySpanRecord)) return span
  // Field by field in the order of the `SpanRecord` declaration, optional ones only when set, as
  // eager importers write them: JSON of a materialized record reads the same as an eager one's.
  const plain: { -readonly [K in keyof SpanRecord]: SpanRecord[K] } = { traceId: span.traceId, spanId: span.spanId } as SpanRecord
  if (span.parentSpanId !== undefined) plain.parentSpanId = span.parentSpanId
  plain.name = span.name
  plain.service = span.service
  plain.kind = span.kind
  plain.startTimeNs = span.startTimeNs
  plain.durationNs = span.durationNs
  plain.statusCode = span.statusCode
  if (span.statusMessage !== undefined) plain.statusMessage = span.statusMessage
  plain.attributes = span.attributes
  plain.resource = span.resource
  if (span.scope !== undefined) plain.scope = span.scope
  plain.events = span.events
  plain.links = span.links
  if (span.traceState !== undefined) plain.traceState = span.traceState
  if (span.flags !== undefined) plain.flags = span.flags
  if (span.isAsyncParent !== undefined) plain.isAsyncParent = span.isAsyncParent
  if (span.originalSpanId !== undefined) plain.originalSpanId = span.originalSpanId
  if (span.warnings !== undefined) plain.warnings = span.warnings
  return plain
}
