import { toJaegerJson } from '../../exporters/jaeger-json.ts'
import { toOtlpJson } from '../../exporters/otlp-json.ts'
import { toZipkinJson } from '../../exporters/zipkin-json.ts'
import { stringifyJson } from '../../lib/stringify-json.ts'
import type { Trace } from '../../model/trace.ts'
import { EXPORT_FORMATS } from './export-formats.ts'
import type { ExportFormat } from './export-formats.ts'

/**
 * A trace written out as a file, with the same converters and JSON writer as the CLI's
 * `spanglass convert --to …` (so a UI export and a CLI conversion of the same input are the
 * same bytes). Times come from the span records, i.e. the raw times, never the skew-adjusted ones.
 */
const CONVERTERS: Readonly<Record<ExportFormat, (traces: readonly Trace[]) => unknown>> = {
  'otlp-json': toOtlpJson,
  'jaeger-json': toJaegerJson,
  'zipkin-json': toZipkinJson,
}

export interface TraceFile {
  readonly fileName: string
  readonly mimeType: string
  readonly text: string
}

/** A trace id made safe for a file name (test data has ids like "trace-123"; never a path). */
export function fileNameForTrace(traceId: string, extension: string): string {
  const safe = traceId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 100) || 'trace'
  return `${safe}.${extension}.json`
}

export function buildTraceFile(trace: Trace, format: ExportFormat): TraceFile {
  const info = EXPORT_FORMATS.find((entry) => entry.format === format)
  if (!info) throw new Error(`unknown export format ${format}`)
  return { fileName: fileNameForTrace(trace.traceId, info.extension), mimeType: 'application/json', text: `${stringifyJson(CONVERTERS[format]([trace]))}\n` }
}
