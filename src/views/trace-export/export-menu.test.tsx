// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { ExportMenu } from './export-menu.tsx'

describe('ExportMenu', () => {
  afterEach(() => {
    cleanup()
    vi.restoreAllMocks()
  })

  it('downloads the trace through a temporary <a download> and revokes the object URL', async () => {
    vi.useFakeTimers()
    const blobs: Blob[] = []
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:spanglass/1'
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const clicks: { href: string; download: string; isAttached: boolean }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.getAttribute('href') ?? '', download: this.download, isAttached: document.body.contains(this) })
    })
    const trace = buildTrace('0123456789abcdef0123456789abcdef', [makeSpan('a', undefined, 0, 1), makeSpan('b', 'a', 0, 1)])
    render(<ExportMenu trace={trace} />)
    expect(screen.queryByTestId('export-zipkin-json')).toBeNull()
    fireEvent.click(screen.getByTestId('export-menu-button'))
    fireEvent.click(screen.getByTestId('export-zipkin-json'))
    // The converters load on the first export (a dynamic import).
    await vi.dynamicImportSettled()
    expect(clicks).toEqual([{ href: 'blob:spanglass/1', download: '0123456789abcdef0123456789abcdef.zipkin.json', isAttached: true }])
    expect(create).toHaveBeenCalledTimes(1)
    expect(JSON.parse(await (blobs[0] as Blob).text())).toHaveLength(2)
    expect(document.querySelector('a[download]')).toBeNull()
    expect(screen.queryByTestId('export-zipkin-json')).toBeNull()
    expect(revoke).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    expect(revoke).toHaveBeenCalledWith('blob:spanglass/1')
    vi.useRealTimers()
  })

  it('closes on Escape and on a click outside', () => {
    const trace = buildTrace('t', [makeSpan('a', undefined, 0, 1)])
    render(<ExportMenu trace={trace} />)
    fireEvent.click(screen.getByTestId('export-menu-button'))
    expect(screen.getByRole('menu')).toBeTruthy()
    fireEvent.keyDown(document, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    fireEvent.click(screen.getByTestId('export-menu-button'))
    fireEvent.pointerDown(document.body)
    expect(screen.queryByRole('menu')).toBeNull()
  })
})
