import type { SkewFinding } from '../../model/analyses/clock-skew.ts'
import type { WarningKind } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import { formatDurationNs } from '../../ui/format.ts'
import { getSkewFindings, getWarningKindsBySpanId } from './trace-memo.ts'

/**
 * The anomalies of one span, in words: the trace warnings that name it (said for this span, not
 * the trace-wide count), the warnings its source attached (Jaeger adjuster notes…), and a clock
 * skew finding. Trace warnings are keyed by span id, so a span sharing its id with another also
 * shows the other's; the text says when the id is shared.
 */
const SPAN_WARNING_TEXT: Record<WarningKind, string | undefined> = {
  orphan: 'Its parent span is not in the trace; shown as a root',
  cycle: 'Its parent link formed a cycle and was cut; shown as a root',
  'duplicate-span-id': 'Another, different span has the same span id',
  'duplicate-span-removed': 'An exact duplicate of this span was removed',
  'missing-start': "No start time in the input; placed at its parent's start",
  'missing-duration': 'No duration in the input; drawn with zero length',
  'negative-duration': 'Ends before it starts in the input; drawn with zero length',
  'child-outside-parent': 'Starts before or ends after its parent',
  'clock-skew': 'Its times look shifted by clock skew',
  'duplicate-attribute': 'Repeats an attribute key; the last value is kept',
  'attribute-truncated': 'An attribute was truncated',
  'skipped-document': undefined,
  'invalid-span': 'Part of this span could not be read',
  // The source's own words follow, from SpanRecord.warnings.
  'source-warning': undefined,
}

export interface SpanWarningLine {
  readonly kind: WarningKind | 'source' | 'clock-skew-detected'
  readonly text: string
}

export function describeSkewFinding(finding: SkewFinding): string {
  const parts: string[] = []
  if (finding.startsEarlyNs > 0) parts.push(`starts ${formatDurationNs(finding.startsEarlyNs)} before`)
  if (finding.endsLateNs > 0) parts.push(`ends ${formatDurationNs(finding.endsLateNs)} after`)
  const what = `${parts.join(' and ')} its parent, which runs on another host`
  return finding.isRpc
    ? `Possible clock skew: it ${what}. "Adjust clock skew" moves it inside its client span.`
    : `Possible clock skew: it ${what} (not a client→server call, so it is not adjusted).`
}

export function collectSpanWarnings(trace: Trace, index: number): SpanWarningLine[] {
  const span = trace.spans[index]
  if (!span) return []
  const lines: SpanWarningLine[] = []
  for (const kind of getWarningKindsBySpanId(trace).get(span.spanId) ?? []) {
    const text = SPAN_WARNING_TEXT[kind]
    if (text !== undefined) lines.push({ kind, text })
    else if (kind !== 'source-warning') {
      const warning = trace.warnings.find((w) => w.kind === kind)
      if (warning) lines.push({ kind, text: warning.message })
    }
  }
  for (const text of span.warnings ?? []) lines.push({ kind: 'source', text })
  const finding = getSkewFindings(trace).get(index)
  if (finding) lines.push({ kind: 'clock-skew-detected', text: describeSkewFinding(finding) })
  return lines
}
