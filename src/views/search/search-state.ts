import type { BackendCapabilities, SpanKindName, TagFilter, TraceSearchQuery, TraceSummary } from '../../backends/types.ts'

/**
 * The search page's state as it lives in the URL (`?page=search&backend=…&service=…`), and its
 * translation into a `TraceSearchQuery`. Pure: no DOM, no React.
 *
 * A submitted search carries its window pinned as `start`/`end` (ms since the epoch) next to the
 * `lookback` it came from, so that a link or a reload asks the same question (and hits the same
 * react-query cache entry) instead of "the last hour" relative to a new now.
 */

export interface SearchUrlState {
  readonly backend: string
  readonly service: string
  readonly operation: string
  readonly spanKind: string
  readonly remoteService: string
  /** `key=value` pairs separated by spaces or new lines, as typed. */
  readonly tags: string
  /** A `LOOKBACKS` id, or `custom` for the absolute `start`/`end`. */
  readonly lookback: string
  /** ms since the epoch, as text ('' when not submitted). */
  readonly start: string
  readonly end: string
  readonly minDuration: string
  readonly maxDuration: string
  readonly limit: string
  /** Tempo: a TraceQL query; when set it replaces the structured fields. */
  readonly q: string
  /** A `SortKey`, with a leading `-` for descending. */
  readonly sort: string
  /** `log` for a logarithmic duration axis in the scatter plot. */
  readonly scale: string
}

export interface FieldError {
  readonly field: keyof SearchUrlState
  readonly message: string
}

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 1500
export const DEFAULT_LOOKBACK = '1h'
export const DEFAULT_SORT = '-start'

export const LOOKBACKS: readonly { readonly id: string; readonly label: string; readonly ms: number }[] = [
  { id: '5m', label: 'Last 5 minutes', ms: 5 * 60_000 },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '30m', label: 'Last 30 minutes', ms: 30 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '2h', label: 'Last 2 hours', ms: 2 * 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '12h', label: 'Last 12 hours', ms: 12 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { id: '2d', label: 'Last 2 days', ms: 2 * 24 * 3_600_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
]

export const SPAN_KINDS: readonly SpanKindName[] = ['server', 'client', 'producer', 'consumer', 'internal']

const KEYS: readonly (keyof SearchUrlState)[] = [
  'backend',
  'service',
  'operation',
  'spanKind',
  'remoteService',
  'tags',
  'lookback',
  'start',
  'end',
  'minDuration',
  'maxDuration',
  'limit',
  'q',
  'sort',
  'scale',
]

export const EMPTY_SEARCH_STATE: SearchUrlState = Object.fromEntries(KEYS.map((key) => [key, ''])) as unknown as SearchUrlState

export function readSearchState(params: URLSearchParams): SearchUrlState {
  return Object.fromEntries(KEYS.map((key) => [key, params.get(key) ?? ''])) as unknown as SearchUrlState
}

/** URL parameters of a search page (defaults left out, so links stay short). */
export function searchStateToParams(state: SearchUrlState): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = { page: 'search' }
  for (const key of KEYS) {
    const value = state[key].trim() === '' ? undefined : key === 'tags' || key === 'q' ? state[key] : state[key].trim()
    params[key] = value
  }
  if (params.lookback === DEFAULT_LOOKBACK && params.start === undefined) params.lookback = undefined
  if (params.sort === DEFAULT_SORT) params.sort = undefined
  return params
}

/** A search is shown (and fetched) once its window is pinned, i.e. after "Find traces" or from a link. */
export function isSubmitted(state: SearchUrlState): boolean {
  return state.start !== '' && state.end !== ''
}

// ---- durations ---------------------------------------------------------------------------------

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
}

/**
 * "100ms", "1.5s", "250us", "2m", "1h30m" (Go durations, as Jaeger and Tempo write them) →
 * nanoseconds. Empty → undefined. A bare number has no unit and is refused.
 */
export function parseDurationInput(text: string): { readonly ns?: number; readonly error?: string } {
  const input = text.trim().replace(/\s+/g, '')
  if (input === '') return {}
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|min|m|h)/gy
  let total = 0
  let index = 0
  let match: RegExpExecArray | null
  while (index < input.length && (match = part.exec(input)) !== null) {
    total += Number(match[1]) * (UNIT_NS[match[2] as string] as number)
    index = part.lastIndex
  }
  if (index !== input.length || index === 0) {
    return /^\d+(\.\d*)?$/.test(input)
      ? { error: `"${text.trim()}" has no unit: write e.g. ${input}ms or ${input}s (ns, us, ms, s, m, h).` }
      : { error: `"${text.trim()}" is not a duration: write e.g. 100ms, 1.5s, 250us or 1m30s.` }
  }
  return { ns: Math.round(total) }
}

// ---- tags --------------------------------------------------------------------------------------

/**
 * `key=value` pairs separated by spaces or new lines; a value with spaces in double quotes
 * (`http.route="/a b"`); a bare `key` asks for the tag with any value. A JSON object
 * (`{"error":"true"}`, as Jaeger UI writes tags) is accepted too.
 */
export function parseTagsInput(text: string): { readonly tags: TagFilter[]; readonly error?: string } {
  const input = text.trim()
  if (input === '') return { tags: [] }
  if (input.startsWith('{')) {
    try {
      const value = JSON.parse(input) as unknown
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return { tags: Object.entries(value).map(([key, entry]) => ({ key, value: typeof entry === 'string' ? entry : JSON.stringify(entry) })) }
      }
    } catch {
      // not JSON: read it as key=value pairs, which will say what is wrong
    }
  }
  const tags: TagFilter[] = []
  let i = 0
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i] as string)) i++
    if (i >= input.length) break
    let key = ''
    while (i < input.length && !/[\s=]/.test(input[i] as string)) key += input[i++]
    if (key === '') return { tags, error: `A tag needs a name before "=" (at "${input.slice(i, i + 20)}").` }
    if (input[i] !== '=') {
      tags.push({ key })
      continue
    }
    i++
    let value = ''
    if (input[i] === '"') {
      i++
      let closed = false
      while (i < input.length) {
        const char = input[i++] as string
        if (char === '\\' && i < input.length) value += input[i++]
        else if (char === '"') {
          closed = true
          break
        } else value += char
      }
      if (!closed) return { tags, error: `The value of "${key}" opens a quote that is not closed.` }
    } else {
      while (i < input.length && !/\s/.test(input[i] as string)) value += input[i++]
    }
    tags.push({ key, value })
  }
  return { tags }
}

// ---- window ------------------------------------------------------------------------------------

/** ms since the epoch from the URL; 16-digit values are µs (Jaeger UI links). */
export function parseEpochMs(text: string): number | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  if (/^\d+$/.test(trimmed)) {
    const value = Number(trimmed)
    return value > 1e14 ? Math.floor(value / 1000) : value
  }
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : date
}

export function lookbackMs(id: string): number | undefined {
  return LOOKBACKS.find((entry) => entry.id === id)?.ms
}

/** A `<input type="datetime-local">` value (local time, minutes) for ms since the epoch. */
export function toDateTimeLocal(ms: number): string {
  const date = new Date(ms)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** ms since the epoch for a `datetime-local` value (local time); undefined when not a date. */
export function fromDateTimeLocal(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number]
  const date = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s)
  return Number.isNaN(date.getTime()) ? undefined : date.getTime()
}

/**
 * The window to pin when the user submits: a preset lookback ends now; `custom` takes the
 * absolute `start`/`end` the form holds (as `datetime-local` text or ms).
 */
export function pinWindow(lookback: string, startText: string, endText: string, nowMs: number): { startMs?: number; endMs?: number; errors: FieldError[] } {
  const presetMs = lookbackMs(lookback || DEFAULT_LOOKBACK)
  if (lookback !== 'custom') {
    if (presetMs === undefined) return { errors: [{ field: 'lookback', message: `Unknown time range "${lookback}".` }] }
    return { startMs: nowMs - presetMs, endMs: nowMs, errors: [] }
  }
  const startMs = fromDateTimeLocal(startText) ?? parseEpochMs(startText)
  const endMs = endText.trim() === '' ? nowMs : (fromDateTimeLocal(endText) ?? parseEpochMs(endText))
  const errors: FieldError[] = []
  if (startMs === undefined) errors.push({ field: 'start', message: 'Give the start of the time range.' })
  if (endMs === undefined) errors.push({ field: 'end', message: 'The end of the time range is not a date.' })
  if (startMs !== undefined && endMs !== undefined && startMs >= endMs) errors.push({ field: 'end', message: 'The time range must end after it starts.' })
  return errors.length > 0 ? { errors } : { startMs, endMs, errors }
}

// ---- query -------------------------------------------------------------------------------------

/**
 * The backend query of a submitted search, leaving out what the backend cannot do. With errors
 * (a hand-edited link), the query is undefined and each error names its field.
 */
export function toSearchQuery(state: SearchUrlState, capabilities: BackendCapabilities): { readonly query?: TraceSearchQuery; readonly errors: FieldError[] } {
  const errors: FieldError[] = []
  const startMs = parseEpochMs(state.start)
  const endMs = parseEpochMs(state.end)
  if (startMs === undefined) errors.push({ field: 'start', message: `The start "${state.start}" is not a time.` })
  if (endMs === undefined) errors.push({ field: 'end', message: `The end "${state.end}" is not a time.` })
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) errors.push({ field: 'end', message: 'The time range must end after it starts.' })

  let limit = DEFAULT_LIMIT
  if (state.limit.trim() !== '') {
    const value = Number(state.limit.trim())
    if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT)
      errors.push({ field: 'limit', message: `The limit must be a whole number from 1 to ${MAX_LIMIT}.` })
    else limit = value
  }

  const traceQL = capabilities.traceQL && state.q.trim() !== '' ? state.q.trim() : undefined
  const query: { -readonly [K in keyof TraceSearchQuery]: TraceSearchQuery[K] } = { startMs, endMs, limit }
  if (traceQL !== undefined) {
    query.traceQL = traceQL
  } else {
    if (state.service.trim() !== '') query.service = state.service.trim()
    if (state.operation.trim() !== '' && capabilities.operations) query.operation = state.operation.trim()
    if (state.spanKind !== '' && capabilities.traceQL) {
      if ((SPAN_KINDS as readonly string[]).includes(state.spanKind)) query.spanKind = state.spanKind as SpanKindName
      else errors.push({ field: 'spanKind', message: `Unknown span kind "${state.spanKind}".` })
    }
    if (state.remoteService.trim() !== '' && capabilities.remoteServices) query.remoteService = state.remoteService.trim()
    if (capabilities.tagSearch) {
      const tags = parseTagsInput(state.tags)
      if (tags.error) errors.push({ field: 'tags', message: tags.error })
      else if (tags.tags.length > 0) query.tags = tags.tags
    }
    if (capabilities.durationFilter) {
      const min = parseDurationInput(state.minDuration)
      const max = parseDurationInput(state.maxDuration)
      if (min.error) errors.push({ field: 'minDuration', message: min.error })
      if (max.error) errors.push({ field: 'maxDuration', message: max.error })
      if (min.ns !== undefined) query.minDurationNs = min.ns
      if (max.ns !== undefined) query.maxDurationNs = max.ns
      if (min.ns !== undefined && max.ns !== undefined && max.ns < min.ns) {
        errors.push({ field: 'maxDuration', message: 'The maximum duration is below the minimum.' })
      }
    }
  }
  return errors.length > 0 ? { errors } : { query, errors }
}

/** Problems a form can show before submitting (the window is checked by `pinWindow`). */
export function validateForm(state: SearchUrlState, capabilities: BackendCapabilities): FieldError[] {
  return toSearchQuery({ ...state, start: '0', end: '1' }, capabilities).errors
}

// ---- sorting -----------------------------------------------------------------------------------

export type SortKey = 'root' | 'start' | 'duration' | 'spans' | 'services' | 'errors'

export const SORT_KEYS: readonly SortKey[] = ['root', 'start', 'duration', 'spans', 'services', 'errors']

export function parseSort(text: string): { readonly key: SortKey; readonly isDescending: boolean } {
  const isDescending = text.startsWith('-')
  const key = (isDescending ? text.slice(1) : text) as SortKey
  if (!SORT_KEYS.includes(key)) return { key: 'start', isDescending: true }
  return { key, isDescending }
}

export function formatSort(key: SortKey, isDescending: boolean): string {
  return `${isDescending ? '-' : ''}${key}`
}

/** Clicking a column: first by its natural direction (text ascending, numbers descending), then flipped. */
export function nextSort(current: string, key: SortKey): string {
  const { key: currentKey, isDescending } = parseSort(current || DEFAULT_SORT)
  if (currentKey === key) return formatSort(key, !isDescending)
  return formatSort(key, key !== 'root')
}

function sortValue(summary: TraceSummary, key: SortKey): number | string {
  switch (key) {
    case 'root':
      return `${summary.rootService}\u0000${summary.rootOperation}`
    case 'start':
      return Number(summary.startTimeNs / 1000n)
    case 'duration':
      return summary.durationNs
    case 'spans':
      return summary.spanCount ?? -1
    case 'services':
      return summary.serviceCount ?? -1
    case 'errors':
      return summary.errorCount ?? -1
  }
}

/** A sorted copy; ties keep the most recent first, then the trace id, so the order is stable. */
export function sortSummaries(summaries: readonly TraceSummary[], sort: string): TraceSummary[] {
  const { key, isDescending } = parseSort(sort || DEFAULT_SORT)
  const sign = isDescending ? -1 : 1
  return [...summaries].sort((a, b) => {
    const va = sortValue(a, key)
    const vb = sortValue(b, key)
    if (va !== vb) return (va < vb ? -1 : 1) * sign
    if (a.startTimeNs !== b.startTimeNs) return a.startTimeNs > b.startTimeNs ? -1 : 1
    return a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0
  })
}
