import type { DependencyLink } from '../model/analyses/service-graph.ts'
import { SPAN_KIND_NAMES } from '../model/span-record.ts'
import { BackendClient, DEFAULT_DEPENDENCY_LOOKBACK_MS, goDuration, isMissingRoute } from './base.ts'
import type { ClientOptions } from './base.ts'
import { BackendError } from './errors.ts'
import type { HttpRequest, HttpResponse, QueryParams } from './http.ts'
import { importPayload, summarizeSpans } from './summarize.ts'
import { parseTraceIdInput } from './trace-id.ts'
import type {
  BackendCapabilities,
  BackendConfig,
  ConnectionResult,
  DependencyQuery,
  OperationInfo,
  SpanKindName,
  TagScope,
  TagValue,
  TraceBackend,
  TracePayload,
  TraceSearchQuery,
  TraceSummary,
} from './types.ts'

/**
 * Jaeger query service (formats.md §2.4, §2.5, §7.1). api_v3 first — the stable API and the
 * only one left in Jaeger after 2.20 — and the internal `/api/...` JSON API when the server has
 * no api_v3 (Jaeger < 1.25) or lacks one endpoint. Parameters are sent in snake_case, which
 * every version understands. Dependencies exist only in the internal API.
 */
export const JAEGER_CAPABILITIES: BackendCapabilities = {
  operations: true,
  // Operations can be listed per span kind (api_v3 and /api/operations); searches cannot filter by kind.
  spanKindFilter: true,
  tagSearch: true,
  traceQL: false,
  durationFilter: true,
  dependencies: true,
  tagAutocomplete: false,
  remoteServices: false,
  versionInfo: false,
}

type ApiGeneration = 'api_v3' | 'api_v1'

export class JaegerBackend extends BackendClient implements TraceBackend {
  readonly kind = 'jaeger' as const
  readonly capabilities = JAEGER_CAPABILITIES
  /** Learned from the first answer: undefined until then; 'api_v1' once api_v3 proved missing. */
  private generation: ApiGeneration | undefined

  constructor(config: BackendConfig, options: ClientOptions = {}) {
    super(config, options, config.orgId ? { 'x-tenant': config.orgId } : {})
  }

  /** Which API answered last ('api_v3' or 'api_v1'); undefined before the first call. */
  get api(): ApiGeneration | undefined {
    return this.generation
  }

  /**
   * Tries api_v3 unless it is known to be missing, then the internal API. `onV3` gets every
   * api_v3 answer that is not "no such route" (including its 404s, which mean "nothing found").
   */
  private async withFallback<T>(v3: HttpRequest | undefined, onV3: (response: HttpResponse) => T | Promise<T>, v1: () => Promise<T>): Promise<T> {
    if (v3 && this.generation !== 'api_v1') {
      const response = await this.http.send(v3)
      if (!isMissingRoute(response)) {
        this.generation = 'api_v3'
        return onV3(response)
      }
      this.generation = 'api_v1'
    }
    return v1()
  }

  private okJson(response: HttpResponse, request: HttpRequest): unknown {
    if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
    return this.http.parseJson(response, request)
  }

  /** The internal API's envelope `{"data": …, "errors": …}`. */
  private async v1Data(request: HttpRequest): Promise<{ data: unknown; response: HttpResponse }> {
    const response = await this.http.get(request)
    const body = this.http.parseJson(response, request) as { data?: unknown } | null
    if (!body || typeof body !== 'object' || !('data' in body)) throw this.http.shapeError(response, request, 'a {"data": …} envelope')
    return { data: body.data, response }
  }

  async checkConnection(signal?: AbortSignal): Promise<ConnectionResult> {
    return this.probe(async () => {
      const services = await this.listServices(signal)
      const api = this.generation ?? 'api_v3'
      return {
        ok: true,
        api,
        message: `Connected to ${this.label} (${api === 'api_v3' ? 'api_v3' : 'internal API, no api_v3'}): ${services.length} service${services.length === 1 ? '' : 's'}.`,
      }
    })
  }

  async listServices(signal?: AbortSignal): Promise<string[]> {
    const what = 'list services'
    const v3: HttpRequest = { path: '/api/v3/services', what, signal }
    const services = await this.withFallback(
      v3,
      (response) => {
        const body = this.okJson(response, v3) as { services?: unknown } | null
        // proto3 JSON omits an empty list: `{}` means no services.
        return this.asStringList(response, v3, body?.services ?? [], '{"services": [...]}')
      },
      async () => {
        const request: HttpRequest = { path: '/api/services', what, signal }
        const { data, response } = await this.v1Data(request)
        return this.asStringList(response, request, data ?? [], '{"data": [service names]}')
      },
    )
    return sortUnique(services)
  }

  async listOperations(service: string, signal?: AbortSignal, options: { readonly spanKind?: SpanKindName } = {}): Promise<OperationInfo[]> {
    const what = `list the operations of service "${service}"`
    const kind = options.spanKind
    const v3: HttpRequest = {
      path: '/api/v3/operations',
      params: [
        ['service', service],
        ['span_kind', kind],
      ],
      what,
      signal,
    }
    const operations = await this.withFallback(
      v3,
      (response) => {
        const body = this.okJson(response, v3) as { operations?: unknown } | null
        return this.operationList(response, v3, body?.operations ?? [])
      },
      async () => {
        const request: HttpRequest = {
          path: '/api/operations',
          params: [
            ['service', service],
            ['spanKind', kind],
          ],
          what,
          signal,
        }
        const response = await this.http.send(request)
        if (!isMissingRoute(response)) {
          const body = this.okJson(response, request) as { data?: unknown } | null
          return this.operationList(response, request, body?.data ?? [])
        }
        // Jaeger < 1.17: names only, no span kinds.
        const legacy: HttpRequest = { path: `/api/services/${encodeURIComponent(service)}/operations`, what, signal }
        const { data, response: legacyResponse } = await this.v1Data(legacy)
        return this.asStringList(legacyResponse, legacy, data ?? [], '{"data": [operation names]}').map((name) => ({ name }))
      },
    )
    return sortOperations(operations)
  }

  private operationList(response: HttpResponse, request: HttpRequest, value: unknown): OperationInfo[] {
    if (!Array.isArray(value)) throw this.http.shapeError(response, request, 'a list of operations')
    return value.map((item) => {
      const entry = item as { name?: unknown; spanKind?: unknown } | null
      if (!entry || typeof entry.name !== 'string') throw this.http.shapeError(response, request, 'a list of {name, spanKind} operations')
      const spanKind = toSpanKindName(entry.spanKind)
      return spanKind ? { name: entry.name, spanKind } : { name: entry.name }
    })
  }

  async searchTraces(query: TraceSearchQuery, signal?: AbortSignal): Promise<TraceSummary[]> {
    this.checkDurations(query)
    const { startMs, endMs } = this.window(query)
    const limit = this.limit(query)
    const tags = query.tags ?? []
    const valued = tags.filter((tag) => tag.value !== undefined)
    const attributes = valued.length > 0 ? JSON.stringify(Object.fromEntries(valued.map((tag) => [tag.key, tag.value]))) : undefined
    const what = `search traces${query.service ? ` of service "${query.service}"` : ''}`
    const v3: HttpRequest = {
      path: '/api/v3/traces',
      params: [
        ['query.service_name', query.service],
        ['query.operation_name', query.operation],
        ['query.attributes', attributes],
        ['query.start_time_min', rfc3339(startMs)],
        ['query.start_time_max', rfc3339(endMs)],
        ['query.duration_min', query.minDurationNs === undefined ? undefined : goDuration(query.minDurationNs)],
        ['query.duration_max', query.maxDurationNs === undefined ? undefined : goDuration(query.maxDurationNs)],
        ['query.num_traces', limit],
      ],
      what,
      signal,
    }
    const v1Params: QueryParams = [
      ['service', query.service],
      ['operation', query.operation],
      ['tags', attributes],
      ['start', Math.floor(startMs) * 1000],
      ['end', Math.ceil(endMs) * 1000],
      ['minDuration', query.minDurationNs === undefined ? undefined : goDuration(query.minDurationNs)],
      ['maxDuration', query.maxDurationNs === undefined ? undefined : goDuration(query.maxDurationNs)],
      ['limit', limit],
    ]
    const response = await this.withFallback<HttpResponse | undefined>(
      v3,
      (answer) => {
        // api_v3 answers a search without hits with 404 {"error":{"message":"No traces found"}}.
        if (answer.status === 404) return undefined
        if (answer.status < 200 || answer.status > 299) throw this.http.statusError(answer, v3)
        return answer
      },
      () => this.http.get({ path: '/api/traces', params: v1Params, what, signal }),
    )
    if (!response || response.bytes.length === 0) return []
    const imported = await importPayload(response.bytes, { label: this.label, what, url: response.url })
    // Older api_v3 servers ignore query.attributes, and key-only tags cannot be sent at all: filter here too.
    return summarizeSpans(imported.spans, { tags, limit })
  }

  async getTrace(traceId: string, signal?: AbortSignal): Promise<TracePayload> {
    const id = parseTraceIdInput(traceId)
    const what = `fetch trace ${id}`
    const hint = 'Check the id, and that the trace is younger than the storage retention.'
    const v3: HttpRequest = { path: `/api/v3/traces/${id}`, what, signal }
    return this.withFallback(
      v3,
      (response) => {
        if (response.status === 404) throw this.notFound(id, response, hint)
        if (response.status < 200 || response.status > 299) throw this.http.statusError(response, v3)
        return this.payload(id, response, 'json')
      },
      async () => {
        const request: HttpRequest = { path: `/api/traces/${id}`, what, signal }
        const response = await this.http.send(request)
        if (response.status === 404) throw this.notFound(id, response, hint)
        if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
        if (isMissingRoute(response)) throw this.http.htmlError(response, request)
        return this.payload(id, response, 'json')
      },
    )
  }

  async getDependencies(query: DependencyQuery, signal?: AbortSignal): Promise<DependencyLink[]> {
    const endTs = Math.round(query.endTs ?? this.now())
    const lookback = Math.round(query.lookbackMs ?? DEFAULT_DEPENDENCY_LOOKBACK_MS)
    const request: HttpRequest = {
      path: '/api/dependencies',
      params: [
        ['endTs', endTs],
        ['lookback', lookback],
      ],
      what: 'load the service dependencies',
      signal,
    }
    const response = await this.http.send(request)
    if (isMissingRoute(response)) throw this.unsupported('load service dependencies (this version has no /api/dependencies)')
    if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
    const body = this.http.parseJson(response, request)
    // The API wraps the links in {"data": […]}; files saved from the UI hold the bare array.
    const links = Array.isArray(body) ? body : ((body as { data?: unknown } | null)?.data ?? [])
    return this.dependencyLinks(response, request, links)
  }

  async tagNames(): Promise<TagScope[]> {
    throw this.unsupported('list tag names')
  }

  async tagValues(): Promise<TagValue[]> {
    throw this.unsupported('list tag values')
  }
}

/** RFC 3339 in UTC with milliseconds: what api_v3 takes for `query.start_time_min`/`max`. */
function rfc3339(ms: number): string {
  const date = new Date(ms)
  if (Number.isNaN(date.getTime())) throw new BackendError('bad-request', `Not a time: ${String(ms)} ms since the epoch.`)
  return date.toISOString()
}

function toSpanKindName(value: unknown): SpanKindName | undefined {
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase().replace(/^span_kind_/, '')
  return (SPAN_KIND_NAMES as readonly string[]).includes(lower) && lower !== '' ? (lower as SpanKindName) : undefined
}

export function sortUnique(names: readonly string[]): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b))
}

export function sortOperations(operations: readonly OperationInfo[]): OperationInfo[] {
  const seen = new Set<string>()
  const out: OperationInfo[] = []
  for (const operation of operations) {
    const key = `${operation.name}\u0000${operation.spanKind ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(operation)
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.spanKind ?? '').localeCompare(b.spanKind ?? ''))
}
