import { useEffect, useId, useRef, useState } from 'react'
import { hasSpanDetails } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { BUTTON_CLASS } from '../../ui/styles.ts'
import { downloadTextFile } from './download-file.ts'
import { EXPORT_FORMATS } from './export-formats.ts'
import type { ExportFormat } from './export-formats.ts'

export interface ExportMenuProps {
  readonly trace: Trace
}

/** "Export ▾": downloads the trace as OTLP, Jaeger or Zipkin JSON, converted like the CLI does. */
export function ExportMenu({ trace }: ExportMenuProps) {
  const [isOpen, setOpen] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)
  const root = useRef<HTMLDivElement>(null)
  const menuId = useId()
  // An export without the span details would drop every attribute, event and link.
  const isWaiting = !hasSpanDetails(trace)

  useEffect(() => {
    if (!isOpen) return
    const onPointerDown = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false)
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    document.addEventListener('keydown', onKeyDown)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown)
      document.removeEventListener('keydown', onKeyDown)
    }
  }, [isOpen])

  const exportAs = async (format: ExportFormat) => {
    setOpen(false)
    try {
      // The converters load on the first export, not with the app.
      const { buildTraceFile } = await import('./export-trace.ts')
      const file = buildTraceFile(trace, format)
      downloadTextFile(file.fileName, file.text, file.mimeType)
      setError(undefined)
    } catch (caught) {
      // A million-span trace can exceed the browser's string limit; a chunk can fail to load.
      setError(`Export failed: ${caught instanceof Error ? caught.message : String(caught)}`)
    }
  }

  return (
    <div ref={root} data-testid="export-menu" className="relative inline-flex shrink-0 items-center gap-2">
      <button
        type="button"
        data-testid="export-menu-button"
        className={BUTTON_CLASS}
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={isOpen ? menuId : undefined}
        onClick={() => setOpen(!isOpen)}
        disabled={isWaiting}
        title={isWaiting ? 'Waiting for the span details (attributes, events, links) to arrive' : 'Download this trace as a file'}
      >
        Export
        <svg viewBox="0 0 12 12" className="size-3" fill="currentColor" aria-hidden="true">
          <path d="M2.5 4.5 6 8l3.5-3.5z" />
        </svg>
      </button>
      {error !== undefined && (
        <span role="alert" className="text-[11px] text-red-600 dark:text-red-400">
          {error}
        </span>
      )}
      {isOpen && (
        <ul
          id={menuId}
          role="menu"
          aria-label="Export format"
          className="absolute top-full right-0 z-30 mt-1 w-72 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {EXPORT_FORMATS.map((entry) => (
            <li key={entry.format} role="none">
              <button
                type="button"
                role="menuitem"
                data-testid={`export-${entry.format}`}
                onClick={() => void exportAs(entry.format)}
                className="flex w-full flex-col items-start rounded px-2 py-1.5 text-left hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
              >
                <span className="text-xs font-medium text-zinc-900 dark:text-zinc-100">{entry.label}</span>
                <span className="text-[11px] text-zinc-500 dark:text-zinc-400">{entry.description}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
