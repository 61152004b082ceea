import type { TraceWarning } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import type { TraceImporter } from './importer.ts'
import { createBatchesStreamReader, hasResourceSpans, importResourceSpans, readField } from './otlp.ts'
import { asString, isObject } from './values.ts'
import type { JsonObject } from './values.ts'

/**
 * Grafana Tempo trace-by-id answers (formats.md §5.1):
 *
 * - v1 `GET /api/traces/<id>`: `{"batches": [ResourceSpans…]}` — Tempo's `Trace` message printed
 *   by gogo jsonpb with `resourceSpans` renamed, so base64 ids and enum names are the norm, and
 *   files from before Tempo 2.0 use `instrumentationLibrarySpans`;
 * - v2 `GET /api/v2/traces/<id>` (Tempo ≥ 2.6): `{"trace": {"resourceSpans"|"batches": […]},
 *   "metrics": {…}, "status": "PARTIAL", "message": "…"}` — `status` is absent when complete.
 *
 * The spans inside are OTLP and go through the OTLP reader.
 */

function traceList(trace: JsonObject): unknown {
  const resourceSpans = readField(trace, 'resourceSpans')
  return resourceSpans !== undefined ? resourceSpans : readField(trace, 'batches')
}

function isTempoV2(document: JsonObject): boolean {
  const trace = readField(document, 'trace')
  return isObject(trace) && (hasResourceSpans(trace) || Array.isArray(readField(trace, 'batches')))
}

/** `PARTIAL` (or its enum number 1) means Tempo cut the trace short (size limits or a `q=` filter). */
function isPartial(status: unknown): boolean {
  if (typeof status === 'number' || typeof status === 'bigint') return Number(status) === 1
  return typeof status === 'string' && status.trim().toUpperCase() === 'PARTIAL'
}

/** Tempo's note that it cut the trace short, as a file-level warning (JSON and protobuf answers). */
export function partialTraceWarning(message: string | undefined): TraceWarning {
  const detail = message?.trim()
  return {
    kind: 'source-warning',
    message: `Tempo returned a partial trace (status PARTIAL); some spans may be missing${detail ? ` (Tempo says: "${detail}")` : ''}`,
    spanIds: [],
  }
}

export const tempoImporter: TraceImporter = {
  format: 'tempo-json',
  label: 'Tempo JSON',
  expects: 'an object with "batches" from Tempo /api/traces, or "trace" from /api/v2/traces',
  detect: (document) => isObject(document) && (Array.isArray(readField(document, 'batches')) || isTempoV2(document)),
  importDocument(document) {
    if (!isObject(document)) throw new ImportError('invalid-structure', 'A Tempo trace must be an object with "batches" or "trace".')
    if (!isTempoV2(document)) return importResourceSpans(readField(document, 'batches'))
    const result = importResourceSpans(traceList(readField(document, 'trace') as JsonObject))
    if (!isPartial(readField(document, 'status'))) return result
    const warning = partialTraceWarning(asString(readField(document, 'message')))
    return { spans: result.spans, warnings: [...result.warnings, warning] }
  },
  // v1 `{batches: […]}` only; a v2 answer (one trace, usually small) is read whole.
  createStreamReader: (sample) =>
    isObject(sample) && Array.isArray(readField(sample, 'batches')) && !isTempoV2(sample) ? createBatchesStreamReader() : undefined,
}
