import { useRef, useState } from 'react'
import type { DragEvent, ReactNode } from 'react'
import { useImportActions } from '../../state/import-actions.ts'
import { buildHref, navigate } from '../../state/url-params.ts'

interface DropZoneProps {
  readonly children: ReactNode
  readonly className?: string
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).some((type) => type === 'Files' || type === 'text/uri-list' || type === 'text/plain')
}

/**
 * Files dropped anywhere inside load (several at once); a dropped link loads that URL; dropped
 * text is read like pasted JSON.
 */
export function DropZone({ children, className = '' }: DropZoneProps) {
  const actions = useImportActions()
  const [isDragging, setIsDragging] = useState(false)
  // dragenter/dragleave fire for every child crossed; count them to know when the pointer really left.
  const depth = useRef(0)

  const handleDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    depth.current = 0
    setIsDragging(false)
    const files = Array.from(event.dataTransfer.files)
    if (files.length > 0) {
      actions.importFiles(files)
      return
    }
    const link = event.dataTransfer
      .getData('text/uri-list')
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('#'))
    if (link && /^https?:\/\//i.test(link.trim())) {
      navigate(buildHref({ url: link.trim() }))
      return
    }
    const text = event.dataTransfer.getData('text/plain')
    if (text.trim() !== '') actions.importText(text)
  }

  return (
    <div
      data-testid="drop-zone"
      data-dragging={isDragging ? 'true' : undefined}
      className={`relative ${className}`}
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        depth.current++
        setIsDragging(true)
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
        if (!isDragging) setIsDragging(true)
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setIsDragging(false)
      }}
      onDrop={handleDrop}
    >
      {children}
      {isDragging && (
        <div className="pointer-events-none absolute inset-2 z-20 flex items-center justify-center rounded-xl border-2 border-dashed border-indigo-500 bg-indigo-50/85 text-base font-semibold text-indigo-700 dark:bg-indigo-950/85 dark:text-indigo-200">
          Drop to load the traces
        </div>
      )}
    </div>
  )
}
