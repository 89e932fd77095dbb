import { describe, expect, it } from 'vitest';
import { parseModelAnswer, stripCodeFence } from './parse-result.js';

describe('parseModelAnswer', () => {
  it('parses a fenced JSON answer with a language tag', () => {
    expect(parseModelAnswer('```json\n{"qty": 2, "unit": "cup"}\n```')).toEqual({ qty: 2, unit: 'cup' });
  });

  it('parses a bare fence and surrounding whitespace', () => {
    expect(parseModelAnswer('\n\n  ```\n[1, 2, 3]\n```  \n')).toEqual([1, 2, 3]);
  });

  it('parses unfenced JSON', () => {
    expect(parseModelAnswer(' {"hello": "world"} ')).toEqual({ hello: 'world' });
  });

  it('keeps backticks inside JSON strings', () => {
    expect(parseModelAnswer('```json\n{"code": "```py\\nprint(1)\\n```"}\n```')).toEqual({ code: '```py\nprint(1)\n```' });
  });

  it('leaves prose before a fence as a string', () => {
    const text = 'Here you go:\n```json\n{"a": 1}\n```';
    expect(parseModelAnswer(text)).toBe(text);
  });

  it('leaves prose after a fence as a string', () => {
    const text = '```json\n{"a": 1}\n```\nHope that helps.';
    expect(parseModelAnswer(text)).toBe(text);
  });

  it('returns plain text as the string itself', () => {
    expect(parseModelAnswer('Hello there.')).toBe('Hello there.');
  });

  it('returns fenced non-JSON as the unfenced text', () => {
    expect(parseModelAnswer('```python\nprint("hi")\n```')).toBe('print("hi")');
  });

  it('parses JSON scalars', () => {
    expect(parseModelAnswer('42')).toBe(42);
    expect(parseModelAnswer('```\n"quoted"\n```')).toBe('quoted');
    expect(parseModelAnswer('null')).toBeNull();
  });

  it('handles CRLF line endings', () => {
    expect(parseModelAnswer('```json\r\n{"a": 1}\r\n```')).toEqual({ a: 1 });
  });

  it('keeps an empty answer as an empty string', () => {
    expect(parseModelAnswer('')).toBe('');
    expect(stripCodeFence('```\n```')).toBe('');
  });
});
