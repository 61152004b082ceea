import { SpanFlag } from '../../model/trace.ts'

const FLAG_TEXT: ReadonlyArray<readonly [number, string]> = [
  [SpanFlag.Orphan, 'Its parent span is not in the trace; shown as a root'],
  [SpanFlag.CycleBroken, 'Its parent link formed a cycle and was cut'],
  [SpanFlag.MissingStart, "No start time; placed at its parent's start"],
  [SpanFlag.MissingDuration, 'No duration; drawn with zero length'],
  [SpanFlag.NegativeDuration, 'Ends before it starts; drawn with zero length'],
  [SpanFlag.DuplicateId, 'Another span has the same span id'],
  [SpanFlag.OutsideParent, 'Starts before or ends after its parent'],
]

/** The anomalies recorded in a span's flags, in words. */
export function describeSpanFlags(flags: number): string[] {
  const lines = FLAG_TEXT.filter(([bit]) => (flags & bit) !== 0).map(([, text]) => text)
  if (lines.length === 0 && (flags & SpanFlag.HasWarning) !== 0) lines.push('Its source reported a warning')
  return lines
}
