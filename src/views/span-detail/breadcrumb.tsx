import { useMemo, useState } from 'react'
import { spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { formatCount } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { BREADCRUMB_REVEAL_STEP, findAncestorPath, layoutBreadcrumb } from './breadcrumb-layout.ts'

export interface BreadcrumbProps {
  readonly trace: Trace
  readonly index: number
  onSelect(index: number): void
}

/**
 * The path from the root to the selected span, each step a button that selects that ancestor.
 * Long paths fold their middle into "…", which reveals the hidden ancestors nearest the span a
 * few at a time: a 100,000-deep span renders a handful of steps, not 100,000.
 */
export function Breadcrumb({ trace, index, onSelect }: BreadcrumbProps) {
  const path = useMemo(() => findAncestorPath(trace, index), [trace, index])
  // Revealed steps belong to one selection; selecting another span folds the path again.
  const [reveal, setReveal] = useState<{ readonly trace: Trace; readonly index: number; readonly count: number }>({ trace, index, count: 0 })
  const revealed = reveal.trace === trace && reveal.index === index ? reveal.count : 0
  const items = layoutBreadcrumb(path, revealed)
  if (path.length === 0) return null
  return (
    <nav data-testid="breadcrumb" aria-label="Path from the root span" className="min-w-0">
      <ol className="flex flex-wrap items-center gap-x-0.5 gap-y-1 text-[11px]">
        {items.map((item, i) => (
          <li key={item.kind === 'step' ? `s${item.index}` : 'gap'} className="flex min-w-0 items-center gap-0.5">
            {i > 0 && (
              <span className="text-zinc-400 dark:text-zinc-600" aria-hidden="true">
                ›
              </span>
            )}
            {item.kind === 'gap' ? (
              <button
                type="button"
                data-testid="breadcrumb-gap"
                onClick={() => setReveal({ trace, index, count: revealed + BREADCRUMB_REVEAL_STEP })}
                title={`${formatCount(item.to - item.from)} ancestors hidden: show ${formatCount(Math.min(BREADCRUMB_REVEAL_STEP, item.to - item.from))} more`}
                className="rounded px-1 text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                … {formatCount(item.to - item.from)} more
              </button>
            ) : (
              <Step trace={trace} index={item.index} isCurrent={item.index === index} onSelect={onSelect} />
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}

function Step({
  trace,
  index,
  isCurrent,
  onSelect,
}: {
  readonly trace: Trace
  readonly index: number
  readonly isCurrent: boolean
  onSelect(index: number): void
}) {
  const service = spanService(trace, index)
  const name = spanName(trace, index)
  return (
    <button
      type="button"
      data-testid="breadcrumb-step"
      data-span-index={index}
      aria-current={isCurrent ? 'location' : undefined}
      onClick={() => onSelect(index)}
      title={`${service}: ${name}`}
      className={`flex max-w-44 min-w-0 items-center gap-1 rounded px-1 py-px hover:bg-zinc-200 dark:hover:bg-zinc-800 ${
        isCurrent ? 'font-semibold text-zinc-900 dark:text-white' : 'text-zinc-600 dark:text-zinc-300'
      }`}
    >
      <span className="size-2 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(service) }} aria-hidden="true" />
      <span className="truncate">{name || service || '(no name)'}</span>
    </button>
  )
}
