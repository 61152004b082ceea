import { SpanFlag, rootIndexes, spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'

export interface TraceSummary {
  /** The span that names the trace: the first true root, else the earliest orphan. -1 for an empty trace. */
  readonly rootIndex: number
  readonly rootService: string
  readonly rootName: string
  /** True when every root is an orphan: the real root span was never received. */
  readonly isRootMissing: boolean
  readonly rootCount: number
  readonly serviceCount: number
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const roots = rootIndexes(trace)
  const trueRoot = roots.find((index) => ((trace.flags[index] as number) & SpanFlag.Orphan) === 0)
  const rootIndex = trueRoot ?? roots[0] ?? -1
  return {
    rootIndex,
    rootService: rootIndex < 0 ? '' : spanService(trace, rootIndex),
    rootName: rootIndex < 0 ? '' : spanName(trace, rootIndex),
    isRootMissing: trueRoot === undefined && roots.length > 0,
    rootCount: roots.length,
    serviceCount: trace.services.length,
  }
}
