import { SPAN_KIND_NAMES, StatusCode } from './span-record.ts'
import { SpanFlag, spanIdAt, spanName, spanService } from './trace.ts'
import type { Trace } from './trace.ts'

function formatMicros(ns: number): string {
  const us = ns / 1000
  return Number.isInteger(us) ? `${us}us` : `${us.toFixed(3)}us`
}

/**
 * A compact text picture of a trace for tests and the CLI: one line per span, indented by
 * depth, `service:name +offset duration kind [ERROR] [!flags] #spanId`.
 * Readable in a diff, unlike object snapshots.
 */
export function dumpTrace(trace: Trace): string {
  const lines = [`trace ${trace.traceId} spans=${trace.spanCount} start=${trace.startTimeNs} duration=${formatMicros(trace.durationNs)}`]
  for (let i = 0; i < trace.spanCount; i++) {
    const flags = trace.flags[i] as number
    const marks: string[] = []
    if (flags & SpanFlag.Orphan) marks.push('orphan')
    if (flags & SpanFlag.CycleBroken) marks.push('cycle')
    if (flags & SpanFlag.DuplicateId) marks.push('dup-id')
    if (flags & SpanFlag.MissingStart) marks.push('no-start')
    if (flags & SpanFlag.MissingDuration) marks.push('no-duration')
    if (flags & SpanFlag.NegativeDuration) marks.push('negative')
    if (flags & SpanFlag.OutsideParent) marks.push('outside-parent')
    const parts = [
      `${'  '.repeat(trace.depth[i] as number)}${spanService(trace, i)}:${spanName(trace, i)}`,
      `+${formatMicros(trace.startOffsetNs[i] as number)}`,
      formatMicros(trace.durationsNs[i] as number),
      SPAN_KIND_NAMES[trace.kind[i] as number] ?? '?',
    ]
    if (trace.status[i] === StatusCode.Error) parts.push('ERROR')
    if (marks.length > 0) parts.push(`!${marks.join(',')}`)
    parts.push(`#${spanIdAt(trace, i)}`)
    lines.push(parts.join(' '))
  }
  for (const warning of trace.warnings) lines.push(`warning ${warning.kind}: ${warning.message}`)
  return lines.join('\n')
}
