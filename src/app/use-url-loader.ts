import { useEffect } from 'react'
import type { ImportActions } from '../state/import-actions.ts'
import { useTracesStore } from '../state/traces-store.ts'
import { navigate, traceHref } from '../state/url-params.ts'

/**
 * The `?url=` contract: `/?url=<file URL>` loads that file, and opens its trace when it holds
 * exactly one and the link names none (`?trace=` wins when present). Waits for the restore of
 * saved inputs, so a URL restored from IndexedDB is not fetched twice.
 */
export function useUrlLoader(actions: ImportActions, url: string | undefined): void {
  const isRestoring = useTracesStore((state) => state.isRestoring)
  useEffect(() => {
    if (url === undefined || url === '' || isRestoring) return
    let isCurrent = true
    const shouldOpen = () => {
      const params = new URLSearchParams(window.location.search)
      return isCurrent && params.get('url') === url && !params.has('trace')
    }
    void actions.importUrl(url).then((traceIds) => {
      if (traceIds.length !== 1 || !shouldOpen()) return
      // Its own task: the import's end has just rendered the list; the trace page renders next,
      // so that neither task comes near 100 ms on a large trace.
      setTimeout(() => {
        if (shouldOpen()) navigate(traceHref(traceIds[0] as string, url), { replace: true })
      }, 0)
    })
    return () => {
      isCurrent = false
    }
  }, [actions, url, isRestoring])
}
