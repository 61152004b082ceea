import { useMemo } from 'react'
import { buildServiceGraph } from '../../model/analyses/service-graph.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { buildHref, followLink } from '../../state/url-params.ts'
import { formatCount, pluralize } from '../../ui/format.ts'
import { ServiceMap } from './service-map.tsx'
import { useTraceLinker } from './use-trace-linker.ts'

/** `/?view=service-map`: the dependency map of every loaded trace. */
export function AllTracesServiceMap() {
  const traces = useTracesStore((state) => state.traces)
  const isWaiting = useTracesStore((state) => state.isRestoring || state.pendingJobs > 0)
  const graph = useMemo(() => buildServiceGraph([...traces.values()]), [traces])
  const traceLinker = useTraceLinker()
  const homeHref = buildHref({})
  const spanCount = useMemo(() => [...traces.values()].reduce((sum, trace) => sum + trace.spanCount, 0), [traces])
  if (traces.size === 0) {
    return (
      <div data-testid="service-map-empty" className="mx-auto mt-16 max-w-xl p-4 text-sm text-zinc-600 dark:text-zinc-300">
        {isWaiting ? (
          'Loading traces…'
        ) : (
          <>
            No traces are loaded.{' '}
            <a href={homeHref} onClick={(event) => followLink(event, homeHref)} className="text-indigo-700 hover:underline dark:text-indigo-300">
              Open a file or a sample
            </a>{' '}
            to see its service map.
          </>
        )}
      </div>
    )
  }
  return (
    <div className="flex h-full flex-col">
      <ServiceMap
        graph={graph}
        traceLinker={traceLinker}
        title={
          <span className="font-semibold">
            Service map of {pluralize(traces.size, 'trace')}
            <span className="ml-1 font-normal text-zinc-500 dark:text-zinc-400">({formatCount(spanCount)} spans)</span>
          </span>
        }
      />
    </div>
  )
}
