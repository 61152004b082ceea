import { useEffect, useRef } from 'react'

const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['↓ / j, ↑ / k', 'Next / previous span'],
  ['PageDown / PageUp, Home / End', 'Move by a page, to the first / last span'],
  ['→ / l', 'Expand, or go to the first child'],
  ['← / h', 'Collapse, or go to the parent'],
  ['Shift+→ / Shift+←', 'Expand / collapse the whole subtree'],
  ['Space', 'Collapse or expand the selected span'],
  ['Enter', 'Open the span details'],
  ['/', 'Search in the trace'],
  ['Enter / Shift+Enter (in search), n / N', 'Next / previous match'],
  ['+ / −', 'Zoom in / out (around the pointer or the selection)'],
  ['0', 'Reset the zoom'],
  ['Ctrl or ⌘ + wheel, pinch', 'Zoom the timeline around the pointer'],
  ['Shift + wheel', 'Pan the timeline'],
  ['Drag on the timeline, ruler or minimap', 'Zoom into that time range'],
  ['Double-click a bar', 'Zoom to the span'],
  ['Alt+click ▸', 'Collapse or expand a whole subtree'],
  ['c', 'Show or hide the critical path'],
  ['Esc', 'Close this, clear the selection, then the search'],
  ['?', 'Show these shortcuts'],
]

/** The keyboard shortcuts, in a modal dialog. */
export function ShortcutHelp({ onClose }: { readonly onClose: () => void }) {
  const dialogRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    dialogRef.current?.focus()
    return () => previous?.focus?.({ preventScroll: true })
  }, [])
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-zinc-950/40 p-4" onClick={onClose}>
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        data-testid="shortcut-help"
        tabIndex={-1}
        className="max-h-full w-full max-w-xl overflow-auto rounded-lg border border-zinc-200 bg-white p-4 shadow-xl focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          if (event.key === 'Escape' || event.key === '?') {
            event.preventDefault()
            event.stopPropagation()
            onClose()
          }
        }}
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-sm font-semibold">Keyboard and mouse</h2>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close"
            className="flex size-6 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
          >
            ×
          </button>
        </div>
        <table className="w-full text-xs">
          <tbody>
            {SHORTCUTS.map(([keys, action]) => (
              <tr key={keys} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="py-1 pr-3 font-mono whitespace-nowrap text-zinc-700 dark:text-zinc-300">{keys}</td>
                <td className="py-1 text-zinc-900 dark:text-zinc-100">{action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
