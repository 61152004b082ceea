import type { DependencyLink } from '../model/analyses/service-graph.ts'
import type { SPAN_KIND_NAMES } from '../model/span-record.ts'

export type { DependencyLink }

export type BackendKind = 'jaeger' | 'zipkin' | 'tempo'

/** `fetch` as the clients use it; tests inject a fake. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** One backend the user configured. Plain data: it goes into the URL, storage and query keys. */
export interface BackendConfig {
  /** Stable id chosen by the app (for query keys and the URL). */
  readonly id: string
  readonly kind: BackendKind
  /** For messages: "Jaeger (prod)". */
  readonly name: string
  /**
   * Where the backend's API lives, without `/api`: `http://127.0.0.1:16686`, a base path such as
   * `https://host/jaeger`, or the app's own proxy `/backends/<name>` (see `backends-env.ts`).
   */
  readonly baseUrl: string
  /** Extra request headers (e.g. `Authorization`). Cross-origin, any header forces a CORS preflight. */
  readonly headers?: Readonly<Record<string, string>>
  /** Tenant: sent as `X-Scope-OrgID` to Tempo and as `x-tenant` to Jaeger. */
  readonly orgId?: string
  /** Tempo: fetch traces as protobuf (smaller, exact) instead of JSON. */
  readonly tempoProtobuf?: boolean
  /** Tempo: turn structured searches into TraceQL (default) or into the legacy `tags` search. */
  readonly tempoSearch?: 'traceql' | 'tags'
}

/** Transport options; none of them is part of a backend's identity. */
export interface BackendOptions {
  /** Default `globalThis.fetch`. */
  readonly fetch?: FetchLike
  /** Per request, including reading the body. Default 30 s. */
  readonly timeoutMs?: number
  /** A larger response is refused as 'bad-payload'. Default 512 MB (V8's longest string is about that). */
  readonly maxResponseBytes?: number
}

/** What a backend can do; the UI hides what it cannot. */
export interface BackendCapabilities {
  /** Operations (span names) per service. */
  readonly operations: boolean
  /** Operations can be listed per span kind, and searches filtered by span kind. */
  readonly spanKindFilter: boolean
  /** Search by `key=value` tags. */
  readonly tagSearch: boolean
  /** Search with a TraceQL query string. */
  readonly traceQL: boolean
  /** Search by min/max span duration. */
  readonly durationFilter: boolean
  /** A service dependency graph (`getDependencies`). */
  readonly dependencies: boolean
  /** Tag names and values can be listed (`tagNames`, `tagValues`). */
  readonly tagAutocomplete: boolean
  /** Remote service names per service (Zipkin). */
  readonly remoteServices: boolean
  /** `checkConnection` reports the server's version. */
  readonly versionInfo: boolean
}

export type SpanKindName = (typeof SPAN_KIND_NAMES)[number]

export interface ConnectionResult {
  readonly ok: boolean
  readonly version?: string
  /** One sentence for the UI: what answered, or what failed and how to fix it. */
  readonly message: string
  /** Which API generation answered (Jaeger `api_v3` or `api_v1`, Tempo `v2` or `v1`). */
  readonly api?: string
}

export interface OperationInfo {
  readonly name: string
  readonly spanKind?: SpanKindName
}

export interface TagFilter {
  readonly key: string
  /** Absent = the key (or, on Zipkin, an annotation) is present with any value. */
  readonly value?: string
}

/**
 * A search, the same for every backend; each client maps it to its own parameters. Plain JSON
 * (no bigint, no Date) because it is part of the react-query key.
 */
export interface TraceSearchQuery {
  readonly service?: string
  readonly operation?: string
  /** Tempo only (TraceQL `kind = …`). */
  readonly spanKind?: SpanKindName
  /** All must hold on one span. */
  readonly tags?: readonly TagFilter[]
  /** Span duration bounds in ns. */
  readonly minDurationNs?: number
  readonly maxDurationNs?: number
  /** Window in ms since the Unix epoch. Default: the last hour up to now. */
  readonly startMs?: number
  readonly endMs?: number
  /** Default 20. */
  readonly limit?: number
  /** Zipkin only. */
  readonly remoteService?: string
  /** Tempo only: a TraceQL query; when set, service/operation/tags/durations are not used. */
  readonly traceQL?: string
}

export interface ServiceSummary {
  readonly name: string
  readonly spanCount?: number
  readonly errorCount?: number
}

/** One search hit. Jaeger and Zipkin send whole traces (summarised here); Tempo sends summaries. */
export interface TraceSummary {
  /** 32 lower-case hex digits. */
  readonly traceId: string
  readonly rootService: string
  readonly rootOperation: string
  readonly startTimeNs: bigint
  readonly durationNs: number
  readonly spanCount?: number
  readonly errorCount?: number
  /** Undefined when the backend does not say (Tempo without `serviceStats`). */
  readonly serviceCount?: number
  readonly services: readonly ServiceSummary[]
  /** Tempo: the spans that matched the query (16 hex digits). */
  readonly matchedSpanIds?: readonly string[]
}

/** A trace as the backend sent it: the bytes go through the same importers as a dropped file. */
export interface TracePayload {
  /** The normalised id that was asked for (32 hex digits). */
  readonly traceId: string
  readonly bytes: Uint8Array
  readonly contentType: string
  /** The URL that answered, for messages and a file name. */
  readonly url: string
  /** A file name for "save as" and for import messages: `jaeger-<id>.json`. */
  readonly fileName: string
}

export interface DependencyQuery {
  /** ms since the Unix epoch; default now. */
  readonly endTs?: number
  /** ms; default 24 h. */
  readonly lookbackMs?: number
}

export interface TagScope {
  /** `resource`, `span`, `intrinsic`, … ; `all` for a backend without scopes. */
  readonly name: string
  readonly tags: readonly string[]
}

export interface TagValue {
  /** Tempo v2: `string`, `int`, `float`, `bool`, `duration`, `keyword`; else `string`. */
  readonly type: string
  readonly value: string
}

/** The one interface the app talks to. Methods a backend cannot serve throw `BackendError` 'unsupported'. */
export interface TraceBackend {
  readonly kind: BackendKind
  readonly config: BackendConfig
  readonly capabilities: BackendCapabilities
  /** Identity for query keys: changes when the base URL, tenant or headers change. */
  readonly cacheKey: string
  checkConnection(signal?: AbortSignal): Promise<ConnectionResult>
  listServices(signal?: AbortSignal): Promise<string[]>
  listOperations(service: string, signal?: AbortSignal, options?: { readonly spanKind?: SpanKindName }): Promise<OperationInfo[]>
  searchTraces(query: TraceSearchQuery, signal?: AbortSignal): Promise<TraceSummary[]>
  /** Accepts hex with or without leading zeros, or base64 of 8 or 16 bytes. */
  getTrace(traceId: string, signal?: AbortSignal): Promise<TracePayload>
  getDependencies(query: DependencyQuery, signal?: AbortSignal): Promise<DependencyLink[]>
  tagNames(options?: { readonly scope?: string; readonly q?: string }, signal?: AbortSignal): Promise<TagScope[]>
  tagValues(tag: string, options?: { readonly q?: string }, signal?: AbortSignal): Promise<TagValue[]>
}
