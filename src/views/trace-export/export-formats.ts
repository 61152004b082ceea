/** The export menu's entries. The converters live in export-trace.ts, which loads on the first export. */
export type ExportFormat = 'otlp-json' | 'jaeger-json' | 'zipkin-json'

export interface ExportFormatInfo {
  readonly format: ExportFormat
  readonly label: string
  readonly description: string
  /** The middle part of the file name: `<traceId>.<extension>.json`. */
  readonly extension: string
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { format: 'otlp-json', label: 'OTLP JSON', description: 'OpenTelemetry TracesData, for collectors, Tempo and Jaeger v2', extension: 'otlp' },
  { format: 'jaeger-json', label: 'Jaeger JSON', description: 'The Jaeger UI / query API format ({"data": [trace]})', extension: 'jaeger' },
  { format: 'zipkin-json', label: 'Zipkin JSON', description: 'Zipkin v2 span list, for the Zipkin UI and API', extension: 'zipkin' },
]
