import { useMemo } from 'react'
import { findTraceUrl, useTracesStore } from '../../state/traces-store.ts'
import { traceHref } from '../../state/url-params.ts'
import { summarizeTrace } from '../trace/trace-summary.ts'
import type { TraceLinker } from './service-map.tsx'

/** Links to loaded traces (with their `?url=` when they came from one), labelled by root span. */
export function useTraceLinker(): TraceLinker {
  const traces = useTracesStore((state) => state.traces)
  const inputs = useTracesStore((state) => state.inputs)
  return useMemo(
    () => ({
      href: (traceId) => traceHref(traceId, findTraceUrl(inputs, traceId)),
      label: (traceId) => {
        const trace = traces.get(traceId)
        if (!trace) return undefined
        const { rootService, rootName } = summarizeTrace(trace)
        return `${rootService} › ${rootName}`
      },
    }),
    [traces, inputs],
  )
}
