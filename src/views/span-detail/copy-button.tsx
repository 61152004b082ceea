import { useEffect, useRef, useState } from 'react'

/** A small button that copies a text and says so for a moment. */
/** `text` may be a function, read at the click (for values that change, like the page URL). */
export function CopyButton({
  text,
  label,
  title,
  testId,
}: {
  readonly text: string | (() => string)
  readonly label: string
  readonly title: string
  readonly testId: string
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const timer = useRef<number | undefined>(undefined)
  useEffect(() => () => window.clearTimeout(timer.current), [])
  const copy = () => {
    const done = (next: 'copied' | 'failed') => {
      setState(next)
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(() => setState('idle'), 1500)
    }
    if (!navigator.clipboard) {
      done('failed')
      return
    }
    navigator.clipboard.writeText(typeof text === 'function' ? text() : text).then(
      () => done('copied'),
      () => done('failed'),
    )
  }
  return (
    <button
      type="button"
      data-testid={testId}
      data-state={state}
      onClick={copy}
      title={title}
      aria-label={title}
      className="inline-flex shrink-0 items-center gap-1 rounded border border-zinc-300 px-1.5 py-px text-[11px] font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  )
}
