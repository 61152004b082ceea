// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useTracesStore } from '../../state/traces-store.ts'
import { FileStatusList } from './file-status-list.tsx'

describe('FileStatusList', () => {
  beforeEach(() => useTracesStore.getState().clear())
  afterEach(cleanup)

  it('shows the format and counts of a good file and the message of a bad one', () => {
    const store = useTracesStore.getState()
    store.startJob([
      { id: 'ok', name: 'kafka.json', kind: 'file' },
      { id: 'bad', name: 'notes.json', kind: 'file' },
    ])
    store.finishJob(
      [],
      [
        {
          id: 'ok',
          name: 'kafka.json',
          format: 'zipkin-v2',
          formats: ['zipkin-v2'],
          spanCount: 28,
          byteCount: 9898,
          traceIds: ['t'],
          warnings: [{ kind: 'orphan', message: '1 span refers to a missing parent', spanIds: ['a'] }],
        },
        {
          id: 'bad',
          name: 'notes.json',
          formats: [],
          spanCount: 0,
          traceIds: [],
          warnings: [],
          error: 'Not a trace format Spanglass reads: found a JSON object with keys "a". Expected one of: Zipkin v2 JSON (spans).',
        },
      ],
    )
    render(<FileStatusList />)
    const rows = screen.getAllByTestId('file-status')
    expect(rows.map((row) => row.dataset.status)).toEqual(['ok', 'error'])
    expect(rows[0]?.textContent).toContain('Zipkin v2')
    expect(rows[0]?.textContent).toContain('28 spans')
    expect(screen.getByTestId('warning-badge').getAttribute('title')).toContain('missing parent')
    const error = screen.getByTestId('file-error')
    expect(error.textContent).toContain('found a JSON object with keys "a".')
    expect(error.textContent).toContain('Expected one of: Zipkin v2 JSON (spans).')
  })

  it('renders nothing when no input was given', () => {
    const { container } = render(<FileStatusList />)
    expect(container.innerHTML).toBe('')
  })
})
