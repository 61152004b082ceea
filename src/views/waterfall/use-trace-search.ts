import { useEffect, useState } from 'react'
import type { Trace } from '../../model/trace.ts'
import { searchTrace, startSearch } from './search.ts'
import type { SearchRun } from './search.ts'

/** Traces up to this many spans are searched at once, in the render (a few ms). */
export const SYNC_SEARCH_SPAN_LIMIT = 10_000

/** One slice of a larger search: half a frame, so typing, scrolling and zooming stay smooth. */
const SLICE_MS = 8

// The last answer: the toolbar, the rows and "next match" ask the same question.
let lastSearch: { readonly trace: Trace; readonly query: string; readonly matches: Int32Array } | undefined

/**
 * The matches of `query` if they are known now: the last search's answer, or a small trace's
 * searched at once. Undefined while a large trace's search has not finished.
 */
export function searchNow(trace: Trace, query: string): Int32Array | undefined {
  if (lastSearch?.trace === trace && lastSearch.query === query) return lastSearch.matches
  if (trace.spanCount > SYNC_SEARCH_SPAN_LIMIT) return undefined
  const matches = searchTrace(trace, query)
  lastSearch = { trace, query, matches }
  return matches
}

/**
 * The waterfall's search. A trace of more than `SYNC_SEARCH_SPAN_LIMIT` spans is searched in
 * slices of about 8 ms between which the browser handles input and paints (a million spans take
 * a second or more): meanwhile `matches` is undefined and `isSearching` true. A new query or
 * trace abandons the search under way.
 */
export function useTraceSearch(trace: Trace, query: string): { readonly matches: Int32Array | undefined; readonly isSearching: boolean } {
  const matches = query === '' ? undefined : searchNow(trace, query)
  const isSearching = query !== '' && matches === undefined
  const [, setFinished] = useState<SearchRun>()
  useEffect(() => {
    if (!isSearching) return
    const run = startSearch(trace, query)
    // A message to itself is a new task without the clamping of nested timers.
    const channel = new MessageChannel()
    const stop = () => {
      channel.port1.onmessage = null
      channel.port1.close()
      channel.port2.close()
    }
    channel.port1.onmessage = () => {
      if (!run.advance(performance.now() + SLICE_MS)) {
        channel.port2.postMessage(null)
        return
      }
      stop()
      lastSearch = { trace, query, matches: run.matches as Int32Array }
      setFinished(run)
    }
    channel.port2.postMessage(null)
    return stop
  }, [trace, query, isSearching])
  return { matches, isSearching }
}
