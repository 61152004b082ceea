import { BackendError, corsHelp } from './errors.ts'
import type { BackendConfig, BackendOptions, FetchLike } from './types.ts'

/**
 * The one place where the clients touch the network: URL building, headers, a timeout on
 * every request (including the body), a size limit, and the translation of every failure into
 * a `BackendError` whose message says what failed and how to fix it.
 */

export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024
/** An error answer is read only this far: its message is all we want from it. */
const ERROR_BODY_BYTES = 64 * 1024
const MESSAGE_CHARS = 300

export type QueryParams = ReadonlyArray<readonly [string, string | number | boolean | undefined]>

export interface HttpRequest {
  /** From the base URL, starting with `/`; segments already encoded. */
  readonly path: string
  readonly params?: QueryParams
  /** Default `application/json`. */
  readonly accept?: string
  /** A verb phrase for messages: "list services", "fetch trace 4bf9…". */
  readonly what: string
  readonly signal?: AbortSignal
}

export interface HttpResponse {
  readonly status: number
  readonly statusText: string
  readonly url: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

export const KIND_LABEL = { jaeger: 'Jaeger', zipkin: 'Zipkin', tempo: 'Tempo' } as const

export class HttpClient {
  readonly config: BackendConfig
  private readonly fetchImpl: FetchLike
  private readonly timeoutMs: number
  private readonly maxResponseBytes: number
  private readonly headers: Readonly<Record<string, string>>

  constructor(config: BackendConfig, options: BackendOptions = {}, protocolHeaders: Readonly<Record<string, string>> = {}) {
    this.config = config
    // Called through a wrapper: `fetch` detached from globalThis throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.headers = { ...protocolHeaders, ...(config.headers ?? {}) }
  }

  get label(): string {
    return this.config.name.trim() || KIND_LABEL[this.config.kind]
  }

  url(path: string, params: QueryParams = []): string {
    const base = this.config.baseUrl.trim().replace(/\/+$/, '')
    const search = new URLSearchParams()
    for (const [key, value] of params) if (value !== undefined && value !== '') search.append(key, String(value))
    const query = search.toString()
    return `${base}${path}${query ? `?${query}` : ''}`
  }

  /** Any HTTP status comes back as a response; only "no answer" (network, timeout, cancel) throws. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = this.url(request.path, request.params)
    if (request.signal?.aborted) throw this.cancelled(request, url)
    const deadline = withDeadline(request.signal, this.timeoutMs)
    const fail = (error: unknown, stage: 'request' | 'body') => this.transportError(error, request, url, stage, deadline)
    try {
      let response: Response
      try {
        response = await this.fetchImpl(url, {
          method: 'GET',
          headers: { Accept: request.accept ?? 'application/json', ...this.headers },
          signal: deadline.signal,
          credentials: 'omit',
          redirect: 'follow',
        })
      } catch (error) {
        throw fail(error, 'request')
      }
      const limit = response.ok ? this.maxResponseBytes : ERROR_BODY_BYTES
      let bytes: Uint8Array
      try {
        bytes = await readBody(response, limit, !response.ok)
      } catch (error) {
        if (error instanceof TooLarge) {
          throw new BackendError(
            'bad-payload',
            `${this.label} could not ${request.what}: the answer of GET ${url} is larger than ${formatBytes(limit)} (${error.detail}), more than Spanglass can read in a browser. Narrow the query (fewer traces, a shorter window).`,
            { url, status: response.status },
          )
        }
        throw fail(error, 'body')
      }
      return {
        status: response.status,
        statusText: response.statusText,
        url,
        contentType: response.headers.get('content-type') ?? '',
        bytes,
      }
    } finally {
      deadline.dispose()
    }
  }

  /** `send`, then any non-2xx status (and an HTML page where the API should answer) becomes a `BackendError`. */
  async get(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.send(request)
    if (response.status < 200 || response.status > 299) throw this.statusError(response, request)
    if (isHtml(response)) throw this.htmlError(response, request)
    return response
  }

  async getJson(request: HttpRequest): Promise<unknown> {
    return this.parseJson(await this.get(request), request)
  }

  parseJson(response: HttpResponse, request: Pick<HttpRequest, 'what'>): unknown {
    const text = decodeText(response.bytes)
    try {
      return JSON.parse(text)
    } catch (error) {
      throw new BackendError(
        'bad-payload',
        `${this.label} could not ${request.what}: GET ${response.url} answered with something that is not JSON (${describeStart(text)}; ${error instanceof Error ? error.message : String(error)}). Check that the base URL points at a ${KIND_LABEL[this.config.kind]} server.`,
        { url: response.url, status: response.status, cause: error },
      )
    }
  }

  /** A shape error: the JSON parsed but is not what the endpoint returns. */
  shapeError(response: HttpResponse, request: Pick<HttpRequest, 'what'>, expected: string): BackendError {
    const text = decodeText(response.bytes.subarray(0, 200))
    return new BackendError(
      'bad-payload',
      `${this.label} could not ${request.what}: GET ${response.url} answered ${describeStart(text)}, not ${expected}. Check that the base URL points at a ${KIND_LABEL[this.config.kind]} server.`,
      { url: response.url, status: response.status },
    )
  }

  statusError(response: HttpResponse, request: Pick<HttpRequest, 'what'>): BackendError {
    const { status, url } = response
    const detail = serverMessage(response)
    const said = detail ? ` (${detail})` : ''
    const head = `${this.label} could not ${request.what}: GET ${url} answered ${status}${response.statusText ? ` ${response.statusText}` : ''}${said}.`
    const tempo = this.config.kind === 'tempo'
    if (status === 401) {
      return new BackendError(
        'unauthorized',
        `${head} The backend wants credentials: add an Authorization header (e.g. "Bearer <token>" or "Basic <base64>") in the backend's settings.`,
        { status, url },
      )
    }
    if (status === 403) {
      const tenant = tempo ? ' and the tenant (X-Scope-OrgID)' : this.config.kind === 'jaeger' ? ' and the tenant (x-tenant)' : ''
      return new BackendError(
        'forbidden',
        `${head} The credentials are not allowed to read traces: check the Authorization header${tenant} in the backend's settings.`,
        { status, url },
      )
    }
    if (status === 404) {
      return new BackendError(
        'not-found',
        `${head} Check the base URL (including a base path such as /jaeger) and that it is a ${KIND_LABEL[this.config.kind]} server.`,
        { status, url },
      )
    }
    if (status === 408) {
      return new BackendError('timeout', `${head} The backend gave up; narrow the query (a shorter window, fewer traces) and try again.`, { status, url })
    }
    if (status === 501) {
      return new BackendError('unsupported', `${head} This ${KIND_LABEL[this.config.kind]} version does not offer it.`, { status, url })
    }
    if (status === 502 || status === 504) {
      return new BackendError(
        'unreachable',
        `${head} A proxy between Spanglass and ${this.label} could not reach it: check that the backend runs at the address the proxy forwards to.`,
        { status, url },
      )
    }
    if (status === 429 || status >= 500) {
      return new BackendError('server', `${head} The backend or its storage failed; try again later, and look at the backend's log if it persists.`, {
        status,
        url,
      })
    }
    return new BackendError('bad-request', `${head} The backend rejected the request; fix the query and try again.`, { status, url })
  }

  htmlError(response: HttpResponse, request: Pick<HttpRequest, 'what'>): BackendError {
    return new BackendError(
      'bad-payload',
      `${this.label} could not ${request.what}: GET ${response.url} answered with a web page (HTML), not the API. Check the base URL: it must be the ${KIND_LABEL[this.config.kind]} server itself (with its base path, if any), and this server version must offer the API.`,
      { url: response.url, status: response.status },
    )
  }

  private cancelled(request: HttpRequest, url: string): BackendError {
    return new BackendError('cancelled', `${this.label}: ${request.what} was cancelled (GET ${url}).`, { url })
  }

  private transportError(error: unknown, request: HttpRequest, url: string, stage: 'request' | 'body', deadline: Deadline): BackendError {
    if (error instanceof BackendError) return error
    if (request.signal?.aborted) return this.cancelled(request, url)
    if (deadline.timedOut()) {
      return new BackendError(
        'timeout',
        `${this.label} could not ${request.what}: GET ${url} did not ${stage === 'body' ? 'finish sending its answer' : 'answer'} within ${formatSeconds(this.timeoutMs)}. The backend may be overloaded: narrow the query (a shorter window, fewer traces) or try again.`,
        { url, cause: error },
      )
    }
    if (isAbortError(error)) return this.cancelled(request, url)
    const reason = errorText(error)
    if (stage === 'body') {
      return new BackendError(
        'unreachable',
        `${this.label} could not ${request.what}: the connection broke while GET ${url} was answering (${reason}). Try again.`,
        { url, cause: error },
      )
    }
    if (isCrossOriginInBrowser(url)) {
      return new BackendError(
        'cors',
        `${this.label} could not ${request.what}: the browser got no usable answer from GET ${url} — the backend sent no CORS headers or is not reachable. ${corsHelp(this.config.kind, Object.keys(this.headers).length > 0)}`,
        { url, cause: error },
      )
    }
    return new BackendError(
      'unreachable',
      `${this.label} could not ${request.what}: nothing answered at ${url} (${reason}). Check that the backend runs and that the base URL (host, port, base path) is right.`,
      { url, cause: error },
    )
  }
}

// ---- signals ------------------------------------------------------------------------------

interface Deadline {
  readonly signal: AbortSignal
  timedOut(): boolean
  dispose(): void
}

/**
 * The caller's signal plus a timeout. A plain timer (not `AbortSignal.timeout`) so that we know
 * which of the two fired and so that tests can drive it with fake timers. `AbortSignal.any`
 * (Node ≥ 20.3, Chromium ≥ 116, Firefox ≥ 124, Safari ≥ 17.4) combines them where it exists.
 */
function withDeadline(signal: AbortSignal | undefined, timeoutMs: number): Deadline {
  const timeout = new AbortController()
  let fired = false
  const timer = setTimeout(() => {
    fired = true
    timeout.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError'))
  }, timeoutMs)
  const combined = signal ? anySignal([signal, timeout.signal]) : { signal: timeout.signal, dispose: () => {} }
  return {
    signal: combined.signal,
    timedOut: () => fired,
    dispose: () => {
      clearTimeout(timer)
      combined.dispose()
    },
  }
}

/** `AbortSignal.any`, with a listener-based fallback for older engines. */
export function anySignal(signals: readonly AbortSignal[]): { signal: AbortSignal; dispose(): void } {
  const native = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any
  if (typeof native === 'function') return { signal: native.call(AbortSignal, [...signals]), dispose: () => {} }
  const controller = new AbortController()
  const cleanups: Array<() => void> = []
  const dispose = () => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  }
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason)
      dispose()
      break
    }
    const onAbort = () => {
      controller.abort(signal.reason)
      dispose()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    cleanups.push(() => signal.removeEventListener('abort', onAbort))
  }
  return { signal: controller.signal, dispose }
}

function isAbortError(error: unknown): boolean {
  return (error instanceof Error || error instanceof DOMException) && (error.name === 'AbortError' || error.name === 'TimeoutError')
}

// ---- bodies -------------------------------------------------------------------------------

class TooLarge extends Error {
  readonly detail: string
  constructor(detail: string) {
    super(detail)
    this.detail = detail
  }
}

/** The whole body, refusing more than `limit` bytes (an error body is cut there instead). */
async function readBody(response: Response, limit: number, truncate: boolean): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '')
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {})
    throw new TooLarge(`it announces ${formatBytes(declared)}`)
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (received + value.length > limit) {
      await reader.cancel().catch(() => {})
      if (truncate) {
        chunks.push(value.subarray(0, limit - received))
        received = limit
        break
      }
      throw new TooLarge(`more than ${formatBytes(limit)} arrived`)
    }
    chunks.push(value)
    received += value.length
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const bytes = new Uint8Array(received)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes)
}

/** An HTML page where JSON belongs: a UI's catch-all route answering for an API the server lacks. */
export function isHtml(response: HttpResponse): boolean {
  if (/^\s*text\/html/i.test(response.contentType)) return true
  const start = decodeText(response.bytes.subarray(0, 64)).trimStart().toLowerCase()
  return start.startsWith('<!doctype html') || start.startsWith('<html')
}

/** What the server said about an error, from the JSON envelopes of Jaeger (v1, v3) or plain text. */
export function serverMessage(response: HttpResponse): string | undefined {
  if (isHtml(response)) return undefined
  const text = decodeText(response.bytes).trim()
  if (text === '') return undefined
  if (text.startsWith('{')) {
    try {
      const message = messageOf(JSON.parse(text))
      if (message) return clip(message)
    } catch {
      // not JSON after all: show the text
    }
  }
  return clip(text.replace(/\s+/g, ' '))
}

function messageOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  const error = record.error
  if (typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>).message === 'string') {
    return (error as Record<string, unknown>).message as string
  }
  if (typeof error === 'string') return error
  if (Array.isArray(record.errors)) {
    const first = record.errors[0] as Record<string, unknown> | undefined
    if (first && typeof first.msg === 'string') return first.msg
  }
  if (typeof record.message === 'string') return record.message
  return undefined
}

function clip(text: string): string {
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text
}

function describeStart(text: string): string {
  const start = text.trimStart().slice(0, 40)
  return start === '' ? 'an empty body' : `a body starting ${JSON.stringify(start)}`
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
    const causeMessage = cause instanceof Error && cause.message !== '' ? cause.message : undefined
    const codeText = typeof code === 'string' && !(causeMessage ?? '').includes(code) ? ` (${code})` : ''
    return causeMessage ? `${error.message}: ${causeMessage}${codeText}` : `${error.message}${codeText}`
  }
  return String(error)
}

/** In a page or worker, a failed fetch to another origin is most often CORS; same-origin (the proxy) it is not. */
function isCrossOriginInBrowser(url: string): boolean {
  const location = (globalThis as { location?: { href?: string; origin?: string } }).location
  if (!location || typeof location.href !== 'string' || typeof location.origin !== 'string') return false
  try {
    return new URL(url, location.href).origin !== location.origin
  } catch {
    return false
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
