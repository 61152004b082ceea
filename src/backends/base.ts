import type { DependencyLink } from '../model/analyses/service-graph.ts'
import { BackendError } from './errors.ts'
import { decodeText, HttpClient, isHtml, KIND_LABEL } from './http.ts'
import type { HttpRequest, HttpResponse } from './http.ts'
import { shortTraceId } from './trace-id.ts'
import type { BackendConfig, BackendOptions, ConnectionResult, TracePayload, TraceSearchQuery } from './types.ts'

/** What the clients share: the HTTP client, messages, search defaults and answer checks. */

export const DEFAULT_SEARCH_LIMIT = 20
export const DEFAULT_LOOKBACK_MS = 60 * 60 * 1000
export const DEFAULT_DEPENDENCY_LOOKBACK_MS = 24 * 60 * 60 * 1000

export interface ClientOptions extends BackendOptions {
  /** ms since the Unix epoch; default `Date.now`. For tests. */
  readonly now?: () => number
}

export abstract class BackendClient {
  readonly config: BackendConfig
  readonly cacheKey: string
  protected readonly http: HttpClient
  protected readonly now: () => number

  protected constructor(config: BackendConfig, options: ClientOptions, protocolHeaders: Readonly<Record<string, string>>) {
    this.config = config
    this.http = new HttpClient(config, options, protocolHeaders)
    this.now = options.now ?? (() => Date.now())
    this.cacheKey = backendCacheKey(config)
  }

  get label(): string {
    return this.http.label
  }

  protected unsupported(what: string): BackendError {
    return new BackendError('unsupported', `${this.label} cannot ${what}: ${KIND_LABEL[this.config.kind]} has no API for it.`)
  }

  protected notFound(traceId: string, response: HttpResponse, hint: string): BackendError {
    return new BackendError(
      'not-found',
      `${this.label} has no trace ${traceId} (GET ${response.url} answered ${response.status === 200 ? 'with an empty trace' : response.status}). ${hint}`,
      { status: response.status, url: response.url },
    )
  }

  protected payload(traceId: string, response: HttpResponse, extension: string): TracePayload {
    return {
      traceId,
      bytes: response.bytes,
      contentType: response.contentType,
      url: response.url,
      fileName: `${this.config.kind}-${shortTraceId(traceId)}.${extension}`,
    }
  }

  /** Runs a probe and turns any failure but cancellation into `{ ok: false, message }`. */
  protected async probe(run: () => Promise<ConnectionResult>): Promise<ConnectionResult> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof BackendError) {
        if (error.kind === 'cancelled') throw error
        return { ok: false, message: error.message }
      }
      throw error
    }
  }

  /** Search window in ms: the query's, else the last hour up to now. */
  protected window(query: TraceSearchQuery): { startMs: number; endMs: number } {
    const endMs = query.endMs ?? this.now()
    const startMs = query.startMs ?? endMs - DEFAULT_LOOKBACK_MS
    if (!(startMs <= endMs)) {
      throw new BackendError(
        'bad-request',
        `${this.label} cannot search: the window starts (${new Date(startMs).toISOString()}) after it ends (${new Date(endMs).toISOString()}).`,
      )
    }
    return { startMs, endMs }
  }

  protected limit(query: TraceSearchQuery): number {
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT
    return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : DEFAULT_SEARCH_LIMIT
  }

  protected checkDurations(query: TraceSearchQuery): void {
    const { minDurationNs: min, maxDurationNs: max } = query
    for (const value of [min, max]) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
        throw new BackendError('bad-request', `${this.label} cannot search: a duration bound must be a number of nanoseconds ≥ 0, not ${String(value)}.`)
      }
    }
    if (min !== undefined && max !== undefined && max < min) {
      throw new BackendError('bad-request', `${this.label} cannot search: the maximum duration is below the minimum.`)
    }
  }

  protected asStringList(response: HttpResponse, request: Pick<HttpRequest, 'what'>, value: unknown, expected: string): string[] {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw this.http.shapeError(response, request, expected)
    return value as string[]
  }

  protected dependencyLinks(response: HttpResponse, request: Pick<HttpRequest, 'what'>, value: unknown): DependencyLink[] {
    if (!Array.isArray(value)) throw this.http.shapeError(response, request, 'a list of dependency links')
    return value.map((item) => {
      const link = item as Record<string, unknown> | null
      if (!link || typeof link !== 'object' || typeof link.parent !== 'string' || typeof link.child !== 'string') {
        throw this.http.shapeError(response, request, 'a list of {parent, child, callCount} links')
      }
      const callCount = Number(link.callCount ?? 0)
      const errorCount = link.errorCount === undefined || link.errorCount === null ? undefined : Number(link.errorCount)
      return {
        parent: link.parent,
        child: link.child,
        callCount: Number.isFinite(callCount) ? callCount : 0,
        ...(errorCount !== undefined && Number.isFinite(errorCount) ? { errorCount } : {}),
      }
    })
  }
}

/** Query-key identity of a backend: what changes the answers. Header values are hashed, not exposed. */
export function backendCacheKey(config: BackendConfig): string {
  const headers = Object.entries(config.headers ?? {})
    .map(([name, value]) => `${name.toLowerCase()}:${fnv1a(value)}`)
    .sort()
    .join(',')
  return [config.kind, config.baseUrl.trim().replace(/\/+$/, ''), config.orgId ?? '', headers, config.tempoProtobuf ? 'pb' : '', config.tempoSearch ?? ''].join(
    '|',
  )
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16)
}

/**
 * An answer that says "this server has no such route", as opposed to an answer of the API:
 * a 404 or 405 that is not the API's own JSON error, a 501, or a UI's HTML page served for an
 * unknown path (Jaeger 2.x answers unknown `/api/v3/...` paths with 200 and its HTML page).
 */
export function isMissingRoute(response: HttpResponse): boolean {
  if (response.status === 501) return true
  if (response.status >= 200 && response.status <= 299) return isHtml(response)
  if (response.status !== 404 && response.status !== 405) return false
  if (isHtml(response)) return true
  const text = decodeText(response.bytes).trim()
  if (!text.startsWith('{')) return true
  try {
    const parsed = JSON.parse(text) as unknown
    return !(typeof parsed === 'object' && parsed !== null && ('error' in parsed || 'errors' in parsed))
  } catch {
    return true
  }
}

/** Integer nanoseconds as a Go duration ("250ms", "1500us", "7ns"), as Jaeger and Tempo parse them. */
export function goDuration(ns: number): string {
  const value = Math.round(ns)
  if (value % 1_000_000 === 0) return `${value / 1_000_000}ms`
  if (value % 1_000 === 0) return `${value / 1_000}us`
  return `${value}ns`
}
