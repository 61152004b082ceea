import type { CriticalPath, CriticalPathShare, CriticalPathSummary } from '../../model/analyses/critical-path.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * The critical-path table's rows: the summary (`summarizeCriticalPath`) per service and per
 * operation, each with the spans that carry its critical time, so that a click can show them.
 */
export interface CriticalPathTableRow {
  readonly id: string
  readonly group: 'service' | 'operation'
  readonly service: string
  /** Span name, for operation rows. */
  readonly name?: string
  readonly criticalNs: number
  /** Of the whole path (all flows): the rows of one group sum to 1. */
  readonly share: number
  /** The spans of this service or operation with critical time, in display order. */
  readonly spanIndexes: Int32Array
}

export interface CriticalPathTable {
  readonly totalNs: number
  /** Flows: the trace's roots plus its asynchronous children (each with its own path). */
  readonly flowCount: number
  readonly byService: readonly CriticalPathTableRow[]
  readonly byOperation: readonly CriticalPathTableRow[]
}

export function layoutCriticalPathTable(trace: Trace, criticalPath: CriticalPath, summary: CriticalPathSummary): CriticalPathTable {
  // Spans with critical time, bucketed by service and by (service, name) in one pass.
  const byServiceSpans = new Map<string, number[]>()
  const byOperationSpans = new Map<string, number[]>()
  for (let i = 0; i < trace.spanCount; i++) {
    if ((criticalPath.criticalNs[i] as number) <= 0) continue
    const service = trace.services[trace.serviceIndex[i] as number] ?? ''
    const name = trace.names[trace.nameIndex[i] as number] ?? ''
    push(byServiceSpans, service, i)
    push(byOperationSpans, operationKey(service, name), i)
  }
  const rowOf = (group: 'service' | 'operation', share: CriticalPathShare): CriticalPathTableRow => {
    const key = group === 'service' ? share.service : operationKey(share.service, share.name ?? '')
    const spans = (group === 'service' ? byServiceSpans : byOperationSpans).get(key) ?? []
    return {
      id: `${group}\u0000${key}`,
      group,
      service: share.service,
      name: share.name,
      criticalNs: share.criticalNs,
      share: share.share,
      spanIndexes: Int32Array.from(spans),
    }
  }
  return {
    totalNs: summary.totalNs,
    flowCount: criticalPath.flowRoot.length,
    byService: summary.byService.map((share) => rowOf('service', share)),
    byOperation: summary.byOperation.map((share) => rowOf('operation', share)),
  }
}

function operationKey(service: string, name: string): string {
  return `${service}\u0000${name}`
}

function push(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key)
  if (list) list.push(index)
  else map.set(key, [index])
}
