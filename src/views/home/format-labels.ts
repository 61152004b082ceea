import type { FormatId } from '../../model/span-record.ts'

const FORMAT_LABELS: Record<FormatId, string> = {
  'jaeger-json': 'Jaeger JSON',
  'jaeger-api-v3': 'Jaeger API v3',
  'zipkin-v2': 'Zipkin v2',
  'zipkin-v1': 'Zipkin v1',
  'otlp-json': 'OTLP JSON',
  'otlp-protobuf': 'OTLP protobuf',
  'tempo-json': 'Tempo JSON',
}

export function labelFormat(format: FormatId | undefined): string {
  return format === undefined ? '' : (FORMAT_LABELS[format] ?? format)
}
