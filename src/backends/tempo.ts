import { normalizeSpanId, normalizeTraceId } from '../importers/ids.ts'
import type { DependencyLink } from '../model/analyses/service-graph.ts'
import { BackendClient, goDuration, isMissingRoute } from './base.ts'
import type { ClientOptions } from './base.ts'
import { BackendError } from './errors.ts'
import { decodeText, isHtml } from './http.ts'
import type { HttpRequest, HttpResponse } from './http.ts'
import { byStartDescending } from './summarize.ts'
import { sortOperations, sortUnique } from './jaeger.ts'
import { parseTraceIdInput } from './trace-id.ts'
import type {
  BackendCapabilities,
  BackendConfig,
  ConnectionResult,
  OperationInfo,
  ServiceSummary,
  SpanKindName,
  TagFilter,
  TagScope,
  TagValue,
  TraceBackend,
  TracePayload,
  TraceSearchQuery,
  TraceSummary,
} from './types.ts'

/**
 * Grafana Tempo HTTP API (formats.md §5, §7.3). Search answers summaries, not traces. Structured
 * searches become TraceQL (one spanset: every condition on one span, as Jaeger and Zipkin
 * match); `tempoSearch: 'tags'` uses the legacy logfmt `tags` search instead. Trace by id tries
 * `/api/v2/traces` (Tempo ≥ 2.6) and falls back to `/api/traces`. Tempo's query API sends no
 * CORS headers: from a browser it is reached through a proxy.
 */
export const TEMPO_CAPABILITIES: BackendCapabilities = {
  operations: true,
  spanKindFilter: true,
  tagSearch: true,
  traceQL: true,
  durationFilter: true,
  dependencies: false,
  tagAutocomplete: true,
  remoteServices: false,
  versionInfo: true,
}

export interface TempoBuildInfo {
  readonly version: string
  readonly revision?: string
  readonly branch?: string
  readonly buildDate?: string
  readonly goVersion?: string
}

const INTRINSICS = new Set([
  'name',
  'status',
  'statusMessage',
  'kind',
  'duration',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'trace:id',
  'trace:rootName',
  'trace:rootService',
  'trace:duration',
  'span:id',
  'span:name',
  'span:status',
  'span:statusMessage',
  'span:kind',
  'span:duration',
  'span:parentID',
  'event:name',
  'event:timeSinceStart',
  'link:traceID',
  'link:spanID',
  'instrumentation:name',
  'instrumentation:version',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
])
const SCOPE_RE = /^(resource|span|event|link|instrumentation)\./
/** Tempo search answers this as the root service of a trace whose root span has not arrived. */
export const TEMPO_NO_ROOT = '<root span not yet received>'

export class TempoBackend extends BackendClient implements TraceBackend {
  readonly kind = 'tempo' as const
  readonly capabilities = TEMPO_CAPABILITIES
  /** Set once `/api/v2/traces` answered 404 and `/api/traces` then found the trace: an old Tempo. */
  private traceV2Missing = false

  constructor(config: BackendConfig, options: ClientOptions = {}) {
    super(config, options, config.orgId ? { 'X-Scope-OrgID': config.orgId } : {})
  }

  async checkConnection(signal?: AbortSignal): Promise<ConnectionResult> {
    return this.probe(async () => {
      await this.echo(signal)
      let version: string | undefined
      try {
        version = (await this.buildInfo(signal)).version
      } catch (error) {
        if (error instanceof BackendError && error.kind === 'cancelled') throw error
      }
      return {
        ok: true,
        ...(version ? { version } : {}),
        message: `Connected to ${this.label}${version ? ` (Tempo ${version})` : ''}.`,
      }
    })
  }

  /** `GET /api/echo`: resolves when Tempo answers `echo`. */
  async echo(signal?: AbortSignal): Promise<void> {
    const request: HttpRequest = { path: '/api/echo', accept: 'text/plain', what: 'reach the server', signal }
    const response = await this.http.get(request)
    if (decodeText(response.bytes).trim() !== 'echo') throw this.http.shapeError(response, request, 'the text "echo"')
  }

  async buildInfo(signal?: AbortSignal): Promise<TempoBuildInfo> {
    const request: HttpRequest = { path: '/api/status/buildinfo', what: 'read the build info', signal }
    const response = await this.http.get(request)
    const body = this.http.parseJson(response, request) as Record<string, unknown> | null
    if (!body || typeof body.version !== 'string') throw this.http.shapeError(response, request, '{"version": …}')
    const text = (key: string) => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined)
    return { version: body.version, revision: text('revision'), branch: text('branch'), buildDate: text('buildDate'), goVersion: text('goVersion') }
  }

  async listServices(signal?: AbortSignal): Promise<string[]> {
    const values = await this.tagValues('resource.service.name', {}, signal)
    return sortUnique(values.map((value) => value.value))
  }

  /** Span names of a service, from `/api/v2/search/tag/name/values` filtered by TraceQL. */
  async listOperations(service: string, signal?: AbortSignal, options: { readonly spanKind?: SpanKindName } = {}): Promise<OperationInfo[]> {
    const conditions = [`resource.service.name = ${traceQLString(service)}`]
    if (options.spanKind) conditions.push(`kind = ${options.spanKind}`)
    const what = `list the operations of service "${service}"`
    const request: HttpRequest = { path: '/api/v2/search/tag/name/values', params: [['q', `{ ${conditions.join(' && ')} }`]], what, signal }
    const response = await this.http.send(request)
    if (isMissingRoute(response)) throw this.unsupported(`${what}: this Tempo has no /api/v2/search/tag/…/values (Tempo ≥ 2.2 has)`)
    if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
    const values = this.v2TagValues(response, request)
    return sortOperations(values.map((value) => (options.spanKind ? { name: value.value, spanKind: options.spanKind } : { name: value.value })))
  }

  async searchTraces(query: TraceSearchQuery, signal?: AbortSignal): Promise<TraceSummary[]> {
    this.checkDurations(query)
    const { startMs, endMs } = this.window(query)
    const limit = this.limit(query)
    const legacy = query.traceQL === undefined && this.config.tempoSearch === 'tags'
    const request: HttpRequest = {
      path: '/api/search',
      params: legacy
        ? [
            ['tags', toLogfmtTags(query)],
            ['minDuration', query.minDurationNs === undefined ? undefined : goDuration(query.minDurationNs)],
            ['maxDuration', query.maxDurationNs === undefined ? undefined : goDuration(query.maxDurationNs)],
            ['start', Math.floor(startMs / 1000)],
            ['end', Math.ceil(endMs / 1000)],
            ['limit', limit],
          ]
        : [
            ['q', query.traceQL?.trim() || toTraceQL(query)],
            ['start', Math.floor(startMs / 1000)],
            ['end', Math.ceil(endMs / 1000)],
            ['limit', limit],
          ],
      what: 'search traces',
      signal,
    }
    const response = await this.http.get(request)
    const body = this.http.parseJson(response, request) as { traces?: unknown } | null
    if (!body || typeof body !== 'object') throw this.http.shapeError(response, request, 'a search response {"traces": [...]}')
    const traces = body.traces ?? []
    if (!Array.isArray(traces)) throw this.http.shapeError(response, request, 'a search response {"traces": [...]}')
    return traces
      .map((trace) => this.summary(trace, response, request))
      .sort(byStartDescending)
      .slice(0, limit)
  }

  private summary(value: unknown, response: HttpResponse, request: HttpRequest): TraceSummary {
    const trace = value as Record<string, unknown> | null
    if (!trace || typeof trace !== 'object' || typeof trace.traceID !== 'string' || trace.traceID === '') {
      throw this.http.shapeError(response, request, 'search results with a "traceID"')
    }
    let startTimeNs: bigint
    try {
      startTimeNs = BigInt(String(trace.startTimeUnixNano ?? '0'))
    } catch {
      throw this.http.shapeError(response, request, 'search results with a numeric "startTimeUnixNano"')
    }
    const durationMs = Number(trace.durationMs ?? 0)
    const services: ServiceSummary[] = []
    const stats = trace.serviceStats
    if (stats && typeof stats === 'object') {
      for (const [name, entry] of Object.entries(stats as Record<string, unknown>)) {
        const counts = (entry ?? {}) as { spanCount?: unknown; errorCount?: unknown }
        services.push({ name, spanCount: Number(counts.spanCount ?? 0) || 0, errorCount: Number(counts.errorCount ?? 0) || 0 })
      }
      services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    }
    const matched: string[] = []
    const spanSets = Array.isArray(trace.spanSets) ? trace.spanSets : trace.spanSet ? [trace.spanSet] : []
    for (const set of spanSets) {
      const spans = (set as { spans?: unknown } | null)?.spans
      if (!Array.isArray(spans)) continue
      for (const span of spans) {
        const id = (span as { spanID?: unknown } | null)?.spanID
        if (typeof id === 'string' && id !== '') matched.push(normalizeSpanId(id))
      }
    }
    const hasStats = services.length > 0
    return {
      // Tempo strips leading zeros from trace ids in search results.
      traceId: normalizeTraceId(trace.traceID),
      rootService: typeof trace.rootServiceName === 'string' ? trace.rootServiceName : '',
      rootOperation: typeof trace.rootTraceName === 'string' ? trace.rootTraceName : '',
      startTimeNs,
      durationNs: Number.isFinite(durationMs) ? durationMs * 1e6 : 0,
      ...(hasStats
        ? {
            spanCount: services.reduce((sum, s) => sum + (s.spanCount ?? 0), 0),
            errorCount: services.reduce((sum, s) => sum + (s.errorCount ?? 0), 0),
            serviceCount: services.length,
          }
        : {}),
      services,
      ...(matched.length > 0 ? { matchedSpanIds: [...new Set(matched)] } : {}),
    }
  }

  async getTrace(traceId: string, signal?: AbortSignal): Promise<TracePayload> {
    const id = parseTraceIdInput(traceId)
    const protobuf = this.config.tempoProtobuf === true
    const accept = protobuf ? 'application/protobuf' : 'application/json'
    const extension = protobuf ? 'pb' : 'json'
    const what = `fetch trace ${id}`
    const hint = 'Check the id, and that the trace is younger than the retention (or, with a search window, inside it).'
    if (!this.traceV2Missing) {
      const request: HttpRequest = { path: `/api/v2/traces/${id}`, accept, what, signal }
      const response = await this.http.send(request)
      if (response.status !== 404) {
        if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
        if (isHtml(response)) throw this.http.htmlError(response, request)
        // Tempo answers an unknown id on v2 with 200 and an empty trace.
        if (isEmptyTempoTrace(response, protobuf ? 'v2-protobuf' : 'json')) throw this.notFound(id, response, hint)
        return this.payload(id, response, extension)
      }
    }
    const request: HttpRequest = { path: `/api/traces/${id}`, accept, what, signal }
    const response = await this.http.send(request)
    if (response.status === 404) throw this.notFound(id, response, hint)
    if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
    if (isHtml(response)) throw this.http.htmlError(response, request)
    if (isEmptyTempoTrace(response, protobuf ? 'v1-protobuf' : 'json')) throw this.notFound(id, response, hint)
    this.traceV2Missing = true
    return this.payload(id, response, extension)
  }

  async getDependencies(): Promise<DependencyLink[]> {
    throw new BackendError(
      'unsupported',
      `${this.label} cannot list service dependencies: Tempo has no dependency API (its service graph is a set of Prometheus metrics written by the metrics-generator). Spanglass builds the service map from loaded traces instead.`,
    )
  }

  /** Tag names per scope (`/api/v2/search/tags`), or one list from `/api/search/tags` on older Tempo. */
  async tagNames(options: { readonly scope?: string; readonly q?: string } = {}, signal?: AbortSignal): Promise<TagScope[]> {
    const what = 'list tag names'
    const v2: HttpRequest = {
      path: '/api/v2/search/tags',
      params: [
        ['scope', options.scope],
        ['q', options.q],
      ],
      what,
      signal,
    }
    const response = await this.http.send(v2)
    if (!isMissingRoute(response)) {
      if (response.status < 200 || response.status > 299) throw this.http.statusError(response, v2)
      const body = this.http.parseJson(response, v2) as { scopes?: unknown } | null
      const scopes = body?.scopes ?? []
      if (!Array.isArray(scopes)) throw this.http.shapeError(response, v2, '{"scopes": [{"name", "tags"}]}')
      return scopes.map((scope) => {
        const entry = scope as { name?: unknown; tags?: unknown } | null
        if (!entry || typeof entry.name !== 'string') throw this.http.shapeError(response, v2, '{"scopes": [{"name", "tags"}]}')
        return { name: entry.name, tags: this.asStringList(response, v2, entry.tags ?? [], 'tag names') }
      })
    }
    const v1: HttpRequest = { path: '/api/search/tags', params: [['scope', options.scope]], what, signal }
    const v1Response = await this.http.get(v1)
    const body = this.http.parseJson(v1Response, v1) as { tagNames?: unknown } | null
    return [{ name: options.scope ?? 'all', tags: this.asStringList(v1Response, v1, body?.tagNames ?? [], '{"tagNames": [...]}') }]
  }

  /**
   * Values of a tag. `tag` is a TraceQL identifier (`resource.service.name`, `.http.method`,
   * `status`) or a bare attribute name (`http.method`, taken as `.http.method`). Older Tempo
   * without the v2 endpoint gets the bare name on `/api/search/tag/<name>/values`.
   */
  async tagValues(tag: string, options: { readonly q?: string } = {}, signal?: AbortSignal): Promise<TagValue[]> {
    const what = `list the values of tag "${tag}"`
    const v2: HttpRequest = { path: `/api/v2/search/tag/${encodeURIComponent(traceQLIdentifier(tag))}/values`, params: [['q', options.q]], what, signal }
    const response = await this.http.send(v2)
    if (!isMissingRoute(response)) {
      if (response.status < 200 || response.status > 299) throw this.http.statusError(response, v2)
      return this.v2TagValues(response, v2)
    }
    const v1: HttpRequest = { path: `/api/search/tag/${encodeURIComponent(plainTagName(tag))}/values`, what, signal }
    const v1Response = await this.http.get(v1)
    const body = this.http.parseJson(v1Response, v1) as { tagValues?: unknown } | null
    return this.asStringList(v1Response, v1, body?.tagValues ?? [], '{"tagValues": [...]}').map((value) => ({ type: 'string', value }))
  }

  /** `tagNames` with Tempo's own argument order. */
  searchTagNames(scope?: string, q?: string, signal?: AbortSignal): Promise<TagScope[]> {
    return this.tagNames({ scope, q }, signal)
  }

  /** `tagValues` with Tempo's own argument order. */
  searchTagValues(tag: string, q?: string, signal?: AbortSignal): Promise<TagValue[]> {
    return this.tagValues(tag, { q }, signal)
  }

  private v2TagValues(response: HttpResponse, request: HttpRequest): TagValue[] {
    const body = this.http.parseJson(response, request) as { tagValues?: unknown } | null
    const values = body?.tagValues ?? []
    if (!Array.isArray(values)) throw this.http.shapeError(response, request, '{"tagValues": [{"type", "value"}]}')
    return values.map((item) => {
      if (typeof item === 'string') return { type: 'string', value: item }
      const entry = item as { type?: unknown; value?: unknown } | null
      if (!entry || typeof entry.value !== 'string') throw this.http.shapeError(response, request, '{"tagValues": [{"type", "value"}]}')
      return { type: typeof entry.type === 'string' ? entry.type : 'string', value: entry.value }
    })
  }
}

// ---- TraceQL and logfmt ----------------------------------------------------------------------

/** A TraceQL string literal. */
export function traceQLString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`
}

/** A tag name as a TraceQL identifier: scoped and intrinsic names as they are, bare names as `.name`. */
export function traceQLIdentifier(tag: string): string {
  const name = tag.trim()
  if (INTRINSICS.has(name)) return name
  const scope = SCOPE_RE.exec(name)?.[0]
  const prefix = scope ?? '.'
  const rest = scope ? name.slice(scope.length) : name.replace(/^\./, '')
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(rest) ? `${prefix}${rest}` : `${prefix}${traceQLString(rest)}`
}

/** The attribute name without scope, for the v1 tag API. */
function plainTagName(tag: string): string {
  return tag.trim().replace(SCOPE_RE, '').replace(/^\./, '')
}

function tagCondition(tag: TagFilter): string {
  if (tag.key === 'error' && (tag.value === undefined || tag.value === 'true')) return 'status = error'
  const ref = traceQLIdentifier(tag.key)
  if (tag.value === undefined) return `${ref} != nil`
  // Tag values are text in Jaeger and Zipkin; in TraceQL a number or boolean only matches its own type.
  if (/^-?\d+(\.\d+)?$/.test(tag.value) || tag.value === 'true' || tag.value === 'false') {
    return `(${ref} = ${tag.value} || ${ref} = ${traceQLString(tag.value)})`
  }
  return `${ref} = ${traceQLString(tag.value)}`
}

/** A structured search as one TraceQL spanset filter (all conditions on one span). */
export function toTraceQL(query: TraceSearchQuery): string {
  const conditions: string[] = []
  if (query.service) conditions.push(`resource.service.name = ${traceQLString(query.service)}`)
  if (query.operation) conditions.push(`name = ${traceQLString(query.operation)}`)
  if (query.spanKind) conditions.push(`kind = ${query.spanKind}`)
  for (const tag of query.tags ?? []) if (tag.key.trim() !== '') conditions.push(tagCondition(tag))
  if (query.minDurationNs !== undefined) conditions.push(`duration >= ${goDuration(query.minDurationNs)}`)
  if (query.maxDurationNs !== undefined) conditions.push(`duration <= ${goDuration(query.maxDurationNs)}`)
  return conditions.length > 0 ? `{ ${conditions.join(' && ')} }` : '{}'
}

function logfmtValue(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** The legacy `tags` parameter: logfmt `service.name=api name="GET /x" http.status_code=500`. */
export function toLogfmtTags(query: TraceSearchQuery): string | undefined {
  const pairs: string[] = []
  if (query.service) pairs.push(`service.name=${logfmtValue(query.service)}`)
  if (query.operation) pairs.push(`name=${logfmtValue(query.operation)}`)
  for (const tag of query.tags ?? []) {
    if (tag.key.trim() === '' || tag.value === undefined) continue
    pairs.push(`${plainTagName(tag.key)}=${logfmtValue(tag.value)}`)
  }
  return pairs.length > 0 ? pairs.join(' ') : undefined
}

// ---- empty answers -----------------------------------------------------------------------------

/** Small answers are checked for "no spans": Tempo's way of saying "not found" on `/api/v2/traces`. */
function isEmptyTempoTrace(response: HttpResponse, shape: 'json' | 'v2-protobuf' | 'v1-protobuf'): boolean {
  const bytes = response.bytes
  if (bytes.length === 0) return true
  if (bytes.length > 4096) return false
  if (shape === 'json') {
    let body: unknown
    try {
      body = JSON.parse(decodeText(bytes))
    } catch {
      return false
    }
    if (!body || typeof body !== 'object') return false
    const record = body as Record<string, unknown>
    const trace = 'trace' in record ? ((record.trace ?? {}) as Record<string, unknown>) : record
    const lists = [trace.resourceSpans, trace.batches, trace.resource_spans]
    return lists.every((list) => list === undefined || (Array.isArray(list) && list.length === 0))
  }
  if (shape === 'v2-protobuf') return protobufFieldLength(bytes, 1) <= 0
  return false
}

/**
 * Length of the first length-delimited top-level field `field` in a protobuf message; -1 when
 * absent or when the bytes do not parse. Enough to see whether a Tempo answer holds a trace.
 */
export function protobufFieldLength(bytes: Uint8Array, field: number): number {
  let at = 0
  const varint = (): number => {
    let result = 0
    let shift = 0
    for (;;) {
      if (at >= bytes.length || shift > 49) throw new RangeError('truncated varint')
      const byte = bytes[at++] as number
      result += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return result
      shift += 7
    }
  }
  try {
    while (at < bytes.length) {
      const key = varint()
      const wire = key % 8
      const number = Math.floor(key / 8)
      if (wire === 2) {
        const length = varint()
        if (number === field) return length
        at += length
      } else if (wire === 0) varint()
      else if (wire === 1) at += 8
      else if (wire === 5) at += 4
      else return -1
    }
  } catch {
    return -1
  }
  return -1
}
