import { ImportError } from '../importers/import-error.ts'
import { importBytes } from '../importers/import-input.ts'
import type { ImporterSet, InputImport } from '../importers/import-input.ts'
import { defaultImporters } from '../importers/registry.ts'
import { attributeToString } from '../model/attributes.ts'
import { buildTraces } from '../model/build-traces.ts'
import { StatusCode } from '../model/span-record.ts'
import type { Attribute, SpanRecord } from '../model/span-record.ts'
import { SpanFlag, spanName, spanService } from '../model/trace.ts'
import type { Trace } from '../model/trace.ts'
import { BackendError } from './errors.ts'
import type { ServiceSummary, TagFilter, TracePayload, TraceSummary } from './types.ts'

/**
 * Backend answers that hold whole traces (Jaeger and Zipkin searches, every trace by id) go
 * through the importers, exactly as a dropped file does; an answer no importer accepts is a
 * 'bad-payload' error carrying the importer's message.
 */
export async function importPayload(
  bytes: Uint8Array,
  source: { readonly label: string; readonly what: string; readonly url: string },
  importers: ImporterSet = defaultImporters,
): Promise<InputImport> {
  try {
    return await importBytes(bytes, importers)
  } catch (error) {
    if (error instanceof ImportError) {
      throw new BackendError('bad-payload', `${source.label} could not ${source.what}: the answer of GET ${source.url} cannot be read. ${error.message}`, {
        url: source.url,
        cause: error,
      })
    }
    throw error
  }
}

/** A fetched trace into span records, the same way the import worker reads a file. */
export function importTracePayload(payload: TracePayload, importers: ImporterSet = defaultImporters): Promise<InputImport> {
  return importPayload(payload.bytes, { label: payload.fileName, what: `read trace ${payload.traceId}`, url: payload.url }, importers)
}

/** The span a list shows for a trace: the earliest real root (an orphan is a root only by accident). */
function rootIndex(trace: Trace): number {
  for (let i = 0; i < trace.spanCount; i = trace.subtreeEnd[i] as number) {
    if (((trace.flags[i] as number) & SpanFlag.Orphan) === 0) return i
  }
  return 0
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const byService = new Map<string, { spanCount: number; errorCount: number }>()
  for (let i = 0; i < trace.spanCount; i++) {
    const name = spanService(trace, i)
    let entry = byService.get(name)
    if (!entry) {
      entry = { spanCount: 0, errorCount: 0 }
      byService.set(name, entry)
    }
    entry.spanCount++
    if (trace.status[i] === StatusCode.Error) entry.errorCount++
  }
  const services: ServiceSummary[] = [...byService].map(([name, counts]) => ({ name, ...counts }))
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const root = rootIndex(trace)
  return {
    traceId: trace.traceId,
    rootService: trace.spanCount > 0 ? spanService(trace, root) : '',
    rootOperation: trace.spanCount > 0 ? spanName(trace, root) : '',
    startTimeNs: trace.startTimeNs,
    durationNs: trace.durationNs,
    spanCount: trace.spanCount,
    errorCount: trace.errorCount,
    serviceCount: services.length,
    services,
  }
}

/** Most recent first, as every backend's UI lists them. */
export function byStartDescending(a: TraceSummary, b: TraceSummary): number {
  return a.startTimeNs > b.startTimeNs ? -1 : a.startTimeNs < b.startTimeNs ? 1 : a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0
}

/** Spans → traces → summaries, optionally keeping only traces where one span matches every tag. */
export function summarizeSpans(spans: readonly SpanRecord[], options: { readonly tags?: readonly TagFilter[]; readonly limit?: number } = {}): TraceSummary[] {
  let traces = buildTraces(spans)
  const tags = options.tags ?? []
  if (tags.length > 0) traces = traces.filter((trace) => trace.spans.some((span) => spanMatchesTags(span, tags)))
  const summaries = traces.map(summarizeTrace).sort(byStartDescending)
  return options.limit !== undefined && options.limit > 0 ? summaries.slice(0, options.limit) : summaries
}

/**
 * Jaeger's rule for a tag search, applied in the client when the server ignores it (Jaeger
 * ≤ 2.18 answers api_v3 searches without looking at `query.attributes`): one span carries every
 * tag, in its attributes, its resource or an event. `error=true` also matches an error status,
 * which is how Jaeger shows OTLP errors.
 */
export function spanMatchesTags(span: SpanRecord, tags: readonly TagFilter[]): boolean {
  return tags.every((tag) => {
    if (tag.key === 'error' && (tag.value === undefined || tag.value === 'true') && span.statusCode === StatusCode.Error) return true
    const matches = (attributes: readonly Attribute[]) =>
      attributes.some((attribute) => attribute.key === tag.key && (tag.value === undefined || attributeToString(attribute.value) === tag.value))
    return matches(span.attributes) || matches(span.resource) || span.events.some((event) => matches(event.attributes))
  })
}
