import { useEffect } from 'react'
import { useTracesStore } from '../../state/traces-store.ts'
import { useUrlParams } from '../../state/url-params.ts'
import { HomePage } from '../home/home-page.tsx'
import { ImportProgress } from '../home/import-progress.tsx'
import { SpanDetails } from './span-details.tsx'
import { SpanTree } from './span-tree.tsx'
import { TraceHeader } from './trace-header.tsx'
import { summarizeTrace } from './trace-summary.ts'

/** `?trace=<id>`: the trace's header, span tree and the selected span's details. */
export function TracePage({ traceId }: { readonly traceId: string }) {
  const trace = useTracesStore((state) => state.traces.get(traceId))
  const isWaiting = useTracesStore((state) => state.isRestoring || state.pendingJobs > 0)
  useEffect(() => {
    if (!trace) return
    const { rootService, rootName } = summarizeTrace(trace)
    document.title = `${rootService} › ${rootName} — Spanglass`
    return () => {
      document.title = 'Spanglass'
    }
  }, [trace])
  if (!trace) {
    if (isWaiting) {
      return (
        <div className="mx-auto mt-16 flex max-w-xl flex-col gap-3 p-4" data-testid="trace-loading">
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            Loading trace <span className="font-mono">{traceId}</span>…
          </p>
          <ImportProgress />
        </div>
      )
    }
    return <HomePage notice={<TraceNotLoaded traceId={traceId} />} />
  }
  return (
    <div className="flex h-full flex-col">
      <TraceHeader trace={trace} />
      <div className="flex min-h-0 flex-1 bg-white dark:bg-zinc-950">
        <SpanTree trace={trace} />
        <SpanDetails trace={trace} />
      </div>
    </div>
  )
}

function TraceNotLoaded({ traceId }: { readonly traceId: string }) {
  const url = useUrlParams().get('url')
  return (
    <div
      role="alert"
      data-testid="trace-not-loaded"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-semibold">
        Trace <span className="font-mono break-all">{traceId}</span> is not loaded.
      </p>
      <p className="mt-1 text-xs">
        {url
          ? `It is not in ${url}, or that file could not be loaded (see below). Drop the file that holds it to open it.`
          : 'It was opened from a file that this browser no longer has. Drop that file here (or load it from its URL) to open the trace.'}
      </p>
    </div>
  )
}
