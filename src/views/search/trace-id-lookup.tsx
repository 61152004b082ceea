import { useId, useState } from 'react'
import type { FormEvent } from 'react'
import { parseTraceIdInput } from '../../backends/trace-id.ts'
import { buildHref, navigate } from '../../state/url-params.ts'

/**
 * "Open a trace by id": hex with or without leading zeros, `0x…`, or base64 of 8 or 16 bytes.
 * Opens `?trace=<32 hex>&backend=<id>`, which fetches it from that backend unless it is loaded.
 */
export function TraceIdLookup({
  backendId,
  testId = 'trace-id-lookup',
  className = '',
}: {
  readonly backendId: string | undefined
  readonly testId?: string
  readonly className?: string
}) {
  const id = useId()
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (text.trim() === '') return
    let traceId: string
    try {
      traceId = parseTraceIdInput(text)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
      return
    }
    setError(undefined)
    setText('')
    navigate(buildHref({ trace: traceId, backend: backendId }))
  }

  return (
    <form onSubmit={submit} className={`relative flex items-center ${className}`} role="search" aria-label="Open a trace by id">
      <label htmlFor={id} className="sr-only">
        Trace id
      </label>
      <input
        id={id}
        data-testid={testId}
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          setError(undefined)
        }}
        placeholder="Trace id…"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error !== undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        title={backendId ? `Open a trace by id from ${backendId} (hex or base64)` : 'Open a loaded trace by id (hex or base64)'}
        className="h-7 w-full rounded-md border border-zinc-300 bg-white px-2 font-mono text-xs text-zinc-900 placeholder:font-sans placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500"
      />
      <button type="submit" className="sr-only" data-testid={`${testId}-submit`}>
        Open trace
      </button>
      {error && (
        <p
          id={`${id}-error`}
          role="alert"
          data-testid={`${testId}-error`}
          className="absolute top-full right-0 z-30 mt-1 w-80 rounded-md border border-red-300 bg-red-50 px-2 py-1 text-[11px] text-red-900 shadow-md dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {error}
        </p>
      )}
    </form>
  )
}
