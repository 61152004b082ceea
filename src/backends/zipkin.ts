import type { DependencyLink } from '../model/analyses/service-graph.ts'
import { BackendClient, DEFAULT_DEPENDENCY_LOOKBACK_MS } from './base.ts'
import type { ClientOptions } from './base.ts'
import { BackendError } from './errors.ts'
import { decodeText } from './http.ts'
import type { HttpRequest, HttpResponse } from './http.ts'
import { sortUnique } from './jaeger.ts'
import { importPayload, summarizeSpans } from './summarize.ts'
import { parseTraceIdInput } from './trace-id.ts'
import type {
  BackendCapabilities,
  BackendConfig,
  ConnectionResult,
  DependencyQuery,
  OperationInfo,
  TagFilter,
  TagScope,
  TagValue,
  TraceBackend,
  TracePayload,
  TraceSearchQuery,
  TraceSummary,
} from './types.ts'

/**
 * Zipkin API v2 (formats.md §3, §7.2), under `<baseUrl>/api/v2`. Searches answer whole traces,
 * which are imported and summarised here. Zipkin sends CORS headers for every origin by default.
 */
export const ZIPKIN_CAPABILITIES: BackendCapabilities = {
  operations: true,
  spanKindFilter: false,
  tagSearch: true,
  traceQL: false,
  durationFilter: true,
  dependencies: true,
  tagAutocomplete: true,
  remoteServices: true,
  versionInfo: true,
}

export class ZipkinBackend extends BackendClient implements TraceBackend {
  readonly kind = 'zipkin' as const
  readonly capabilities = ZIPKIN_CAPABILITIES

  constructor(config: BackendConfig, options: ClientOptions = {}) {
    super(config, options, {})
  }

  private async stringList(request: HttpRequest, expected: string): Promise<string[]> {
    const response = await this.http.get(request)
    return this.asStringList(response, request, this.http.parseJson(response, request), expected)
  }

  async checkConnection(signal?: AbortSignal): Promise<ConnectionResult> {
    return this.probe(async () => {
      const services = await this.listServices(signal)
      const version = await this.version(signal)
      return {
        ok: true,
        api: 'v2',
        ...(version ? { version } : {}),
        message: `Connected to ${this.label}${version ? ` (Zipkin ${version})` : ''}: ${services.length} service${services.length === 1 ? '' : 's'}.`,
      }
    })
  }

  /** From `/info` (Zipkin ≥ 2.11); undefined when the server does not say. */
  async version(signal?: AbortSignal): Promise<string | undefined> {
    try {
      const request: HttpRequest = { path: '/info', what: 'read the server version', signal }
      const body = (await this.http.getJson(request)) as { zipkin?: { version?: unknown } } | null
      const version = body?.zipkin?.version
      return typeof version === 'string' ? version : undefined
    } catch (error) {
      if (error instanceof BackendError && error.kind === 'cancelled') throw error
      return undefined
    }
  }

  async listServices(signal?: AbortSignal): Promise<string[]> {
    return sortUnique(await this.stringList({ path: '/api/v2/services', what: 'list services', signal }, 'a list of service names'))
  }

  /** Zipkin calls operations "span names"; they are stored lower-cased. */
  async listOperations(service: string, signal?: AbortSignal): Promise<OperationInfo[]> {
    const names = await this.stringList(
      { path: '/api/v2/spans', params: [['serviceName', service]], what: `list the span names of service "${service}"`, signal },
      'a list of span names',
    )
    return sortUnique(names).map((name) => ({ name }))
  }

  async remoteServices(service: string, signal?: AbortSignal): Promise<string[]> {
    const names = await this.stringList(
      { path: '/api/v2/remoteServices', params: [['serviceName', service]], what: `list the remote services of service "${service}"`, signal },
      'a list of remote service names',
    )
    return sortUnique(names)
  }

  async searchTraces(query: TraceSearchQuery, signal?: AbortSignal): Promise<TraceSummary[]> {
    this.checkDurations(query)
    const { startMs, endMs } = this.window(query)
    const limit = this.limit(query)
    const minUs = query.minDurationNs === undefined ? undefined : Math.floor(query.minDurationNs / 1000)
    const maxUs = query.maxDurationNs === undefined ? undefined : Math.ceil(query.maxDurationNs / 1000)
    const what = `search traces${query.service ? ` of service "${query.service}"` : ''}`
    const request: HttpRequest = {
      path: '/api/v2/traces',
      params: [
        ['serviceName', query.service],
        ['remoteServiceName', query.remoteService],
        // Span names are stored lower-cased.
        ['spanName', query.operation?.toLowerCase()],
        ['annotationQuery', annotationQuery(query.tags ?? [])],
        // Zipkin takes maxDuration only with a minDuration, which must be positive.
        ['minDuration', minUs !== undefined && minUs > 0 ? minUs : maxUs !== undefined ? 1 : undefined],
        ['maxDuration', maxUs],
        ['endTs', Math.ceil(endMs)],
        ['lookback', Math.max(1, Math.ceil(endMs - startMs))],
        ['limit', limit],
      ],
      what,
      signal,
    }
    const response = await this.http.get(request)
    if (isEmptyList(response)) return []
    const imported = await importPayload(response.bytes, { label: this.label, what, url: response.url })
    return summarizeSpans(imported.spans, { limit })
  }

  async getTrace(traceId: string, signal?: AbortSignal): Promise<TracePayload> {
    const id = parseTraceIdInput(traceId)
    const request: HttpRequest = { path: `/api/v2/trace/${id}`, what: `fetch trace ${id}`, signal }
    const response = await this.http.send(request)
    if (response.status === 404) {
      throw this.notFound(id, response, 'Check the id, and that the trace is younger than the storage retention (in-memory storage forgets on restart).')
    }
    if (response.status < 200 || response.status > 299) throw this.http.statusError(response, request)
    if (isEmptyList(response)) throw this.notFound(id, response, 'Check the id.')
    return this.payload(id, response, 'json')
  }

  /** Several traces in one answer (`[[span…]…]`); one id goes to `/trace/{id}` since `/traceMany` wants two or more. */
  async traceMany(traceIds: readonly string[], signal?: AbortSignal): Promise<TracePayload> {
    const ids = [...new Set(traceIds.map(parseTraceIdInput))]
    if (ids.length === 0) throw new BackendError('bad-request', `${this.label} cannot fetch traces: no trace id given.`)
    if (ids.length === 1) return this.getTrace(ids[0] as string, signal)
    const request: HttpRequest = { path: '/api/v2/traceMany', params: [['traceIds', ids.join(',')]], what: `fetch ${ids.length} traces`, signal }
    const response = await this.http.get(request)
    if (isEmptyList(response))
      throw new BackendError('not-found', `${this.label} has none of the traces ${ids.join(', ')} (GET ${response.url} answered []).`, { url: response.url })
    return { ...this.payload(ids[0] as string, response, 'json'), fileName: `zipkin-${ids.length}-traces.json` }
  }

  async getDependencies(query: DependencyQuery, signal?: AbortSignal): Promise<DependencyLink[]> {
    const request: HttpRequest = {
      path: '/api/v2/dependencies',
      params: [
        ['endTs', Math.round(query.endTs ?? this.now())],
        ['lookback', Math.round(query.lookbackMs ?? DEFAULT_DEPENDENCY_LOOKBACK_MS)],
      ],
      what: 'load the service dependencies',
      signal,
    }
    const response = await this.http.get(request)
    return this.dependencyLinks(response, request, this.http.parseJson(response, request))
  }

  /** The keys named in the server's AUTOCOMPLETE_KEYS (often none). */
  async autocompleteKeys(signal?: AbortSignal): Promise<string[]> {
    return sortUnique(await this.stringList({ path: '/api/v2/autocompleteKeys', what: 'list autocomplete keys', signal }, 'a list of keys'))
  }

  async autocompleteValues(key: string, signal?: AbortSignal): Promise<string[]> {
    return sortUnique(
      await this.stringList({ path: '/api/v2/autocompleteValues', params: [['key', key]], what: `list the values of "${key}"`, signal }, 'a list of values'),
    )
  }

  async tagNames(_options?: { readonly scope?: string; readonly q?: string }, signal?: AbortSignal): Promise<TagScope[]> {
    return [{ name: 'all', tags: await this.autocompleteKeys(signal) }]
  }

  async tagValues(tag: string, _options?: { readonly q?: string }, signal?: AbortSignal): Promise<TagValue[]> {
    return (await this.autocompleteValues(tag, signal)).map((value) => ({ type: 'string', value }))
  }
}

/** `k=v and word and k2=v2`: `k=v` matches a tag, a bare word an annotation value or a tag key. */
export function annotationQuery(tags: readonly TagFilter[]): string | undefined {
  const terms = tags.filter((tag) => tag.key.trim() !== '').map((tag) => (tag.value === undefined ? tag.key.trim() : `${tag.key.trim()}=${tag.value}`))
  return terms.length > 0 ? terms.join(' and ') : undefined
}

function isEmptyList(response: HttpResponse): boolean {
  return response.bytes.length < 16 && /^\s*\[\s*\]\s*$/.test(decodeText(response.bytes))
}
