import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/engine/messages.js';

// Templates are split once at their placeholders and then filled by concatenation (at 10,000 resources, 150,000
// fills): the text must be exactly what a regular-expression replace gives, placeholders left where an arg is missing.
const reference = (template: string, args: Record<string, string | number>) =>
  template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (match, name: string) => (name in args ? String(args[name]) : match));

describe('renderTemplate', () => {
  it.each([
    ['{{resource}} has no policy', { resource: 'b' }, 'b has no policy'],
    ['{{ resource }} and {{other}}', { resource: 'b' }, 'b and {{other}}'],
    ['{{a}}{{a}}{{b}}', { a: 1, b: 'x{{a}}' }, '11x{{a}}'],
    ['no placeholder', { a: 1 }, 'no placeholder'],
    ['{{ a.b-c }} {{}} {{ }} {x} }}{{', { 'a.b-c': 'y' }, 'y {{}} {{ }} {x} }}{{'],
  ])('%s', (template, args, text) => expect(renderTemplate(template, args)).toBe(text));

  it('gives what the regular-expression replace gives, for any template and args', () => {
    const piece = fc.oneof(fc.constantFrom('{{', '}}', '{{a}}', '{{ b }}', '{{toString}}', '{{c.d}}', '{{ e-f}}', ' ', '{', '}', '$&', '$1'), fc.string({ maxLength: 6 }));
    const template = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    const args = fc.dictionary(fc.constantFrom('a', 'b', 'c.d', 'e-f', 'resource', 'x'), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()));
    fc.assert(fc.property(template, args, (t, a) => renderTemplate(t, a) === reference(t, a)), { numRuns: 5000 });
  });

  // The engine's args are always a plain object (`{ resource, ...finding.args }`): `{{toString}}` finds Object's.
  it('fills {{resource}} from the resource given, as a copy of the args with that resource would', () => {
    const piece = fc.oneof(fc.constantFrom('{{resource}}', '{{ resource }}', '{{a}}', '{{toString}}', '{{', ' '), fc.string({ maxLength: 4 }));
    const template = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    const args = fc.dictionary(fc.constantFrom('a', 'resource', 'x'), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()));
    fc.assert(fc.property(template, args, fc.string({ maxLength: 6 }), (t, a, quoted) => renderTemplate(t, { ...a }, quoted) === reference(t, { ...a, resource: quoted })), { numRuns: 3000 });
    expect(renderTemplate('--bucket {{resource}} --x {{a}}', { resource: 'my bucket', a: 1 }, "'my bucket'")).toBe("--bucket 'my bucket' --x 1");
  });
});
