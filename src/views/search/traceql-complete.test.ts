import { describe, expect, it } from 'vitest'
import { applyCompletion, completionContext, filterCompletions, tagIdentifiers, valueCompletions } from './traceql-complete.ts'

function at(textWithCursor: string) {
  const cursor = textWithCursor.indexOf('|')
  const text = textWithCursor.replace('|', '')
  return { text, cursor, context: completionContext(text, cursor) }
}

describe('completionContext', () => {
  it('offers tags where an attribute may start inside a spanset', () => {
    expect(at('{ |').context).toEqual({ kind: 'tag', prefix: '', from: 2, to: 2 })
    expect(at('{ resource.ser|').context).toEqual({ kind: 'tag', prefix: 'resource.ser', from: 2, to: 14 })
    expect(at('{ a = 1 && .http|.method }').context).toEqual({ kind: 'tag', prefix: '.http', from: 11, to: 23 })
    expect(at('{|}').context).toMatchObject({ kind: 'tag', prefix: '' })
  })

  it('offers nothing outside a spanset', () => {
    expect(at('|').context).toBeUndefined()
    expect(at('{ a = 1 } |').context).toBeUndefined()
    expect(at('{ a = 1 } >> |').context).toBeUndefined()
  })

  it('offers values after a comparison, quoted or not', () => {
    expect(at('{ resource.service.name = "sh|" }').context).toEqual({
      kind: 'value',
      tag: 'resource.service.name',
      prefix: 'sh',
      from: 26,
      to: 30,
      isQuoted: true,
    })
    expect(at('{ status = |').context).toEqual({ kind: 'value', tag: 'status', prefix: '', from: 11, to: 11, isQuoted: false })
    expect(at('{ span.http.status_code >= 5|').context).toMatchObject({ kind: 'value', tag: 'span.http.status_code', prefix: '5' })
    expect(at('{ name =~ "GET.*|').context).toMatchObject({ kind: 'value', tag: 'name', prefix: 'GET.*' })
  })
})

describe('candidates', () => {
  const tags = tagIdentifiers([
    { name: 'resource', tags: ['service.name', 'host.name'] },
    { name: 'span', tags: ['http.method', 'service.peer'] },
    { name: 'intrinsic', tags: ['duration', 'status'] },
  ])

  it('writes tags with their scope, intrinsics bare', () => {
    expect(tags.map((tag) => tag.insert)).toEqual([
      'resource.service.name',
      'resource.host.name',
      'span.http.method',
      'span.service.peer',
      'duration',
      'status',
    ])
  })

  it('puts prefix matches before matches anywhere', () => {
    expect(filterCompletions(tags, 'span.').map((tag) => tag.label)).toEqual(['span.http.method', 'span.service.peer'])
    expect(filterCompletions(tags, 'serv').map((tag) => tag.label)).toEqual(['resource.service.name', 'span.service.peer'])
    expect(filterCompletions(tags, '.http').map((tag) => tag.label)).toEqual(['span.http.method'])
    expect(filterCompletions(tags, '')).toHaveLength(6)
  })

  it('quotes string values and leaves keywords and numbers bare', () => {
    expect(
      valueCompletions([
        { type: 'string', value: 'say "hi"' },
        { type: 'keyword', value: 'error' },
        { type: 'int', value: '200' },
      ]).map((value) => value.insert),
    ).toEqual(['200', 'error', '"say \\"hi\\""'])
  })
})

describe('applyCompletion', () => {
  it('replaces the word being typed and puts the cursor after it', () => {
    const { text, context } = at('{ resource.ser| }')
    expect(applyCompletion(text, context!, { label: 'resource.service.name', insert: 'resource.service.name' })).toEqual({
      text: '{ resource.service.name }',
      cursor: 23,
    })
  })

  it('replaces a quoted value including its closing quote', () => {
    const { text, context } = at('{ resource.service.name = "sh|" }')
    expect(applyCompletion(text, context!, { label: 'shop', insert: '"shop"' })).toEqual({ text: '{ resource.service.name = "shop" }', cursor: 32 })
  })
})
