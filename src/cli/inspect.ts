import type { FormatId } from '../model/span-record.ts'
import type { Trace } from '../model/trace.ts'
import { rootIndexes, spanName } from '../model/trace.ts'

export interface FileSummary {
  readonly file: string
  readonly format: FormatId | undefined
  readonly spans: number
}

/** The `inspect --json` contract: field names and meanings must stay stable. */
export interface InspectReport {
  readonly files: readonly FileSummary[]
  readonly traces: ReadonlyArray<{
    readonly traceId: string
    readonly spanCount: number
    readonly services: readonly string[]
    readonly rootSpanNames: readonly string[]
    readonly errorSpanCount: number
    readonly durationNs: number
    readonly warnings: ReadonlyArray<{ readonly kind: string; readonly message: string; readonly spanIds: readonly string[] }>
  }>
}

export function summarizeTraces(files: readonly FileSummary[], traces: readonly Trace[]): InspectReport {
  return {
    files,
    traces: traces.map((trace) => ({
      traceId: trace.traceId,
      spanCount: trace.spanCount,
      services: [...trace.services].sort(),
      rootSpanNames: rootIndexes(trace).map((root) => spanName(trace, root)),
      errorSpanCount: trace.errorCount,
      durationNs: trace.durationNs,
      warnings: trace.warnings.map(({ kind, message, spanIds }) => ({ kind, message, spanIds: [...spanIds] })),
    })),
  }
}

function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`
  return `${ns} ns`
}

export function formatReport(report: InspectReport, traces: readonly Trace[]): string {
  const lines: string[] = []
  for (const file of report.files) lines.push(`${file.file}: ${file.format ?? 'no spans'}, ${file.spans} span${file.spans === 1 ? '' : 's'}`)
  lines.push(`${report.traces.length} trace${report.traces.length === 1 ? '' : 's'}`)
  report.traces.forEach((summary, i) => {
    const trace = traces[i] as Trace
    const start = new Date(Number(trace.startTimeNs / 1_000_000n)).toISOString()
    lines.push('')
    lines.push(`trace ${summary.traceId}`)
    lines.push(`  root:     ${summary.rootSpanNames.join(', ') || '(none)'}`)
    lines.push(`  start:    ${start}`)
    lines.push(`  duration: ${formatDuration(summary.durationNs)}`)
    lines.push(`  spans:    ${summary.spanCount}, depth ${trace.maxDepth + 1}, errors ${summary.errorSpanCount}`)
    lines.push(`  services: ${summary.services.join(', ')}`)
    for (const warning of summary.warnings) lines.push(`  warning:  [${warning.kind}] ${warning.message}`)
  })
  return lines.join('\n')
}
