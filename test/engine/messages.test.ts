import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledTemplate, filled, renderFinding, renderTemplate } from '../../src/engine/messages.js';
import { hasControlCharacters } from '../../src/engine/control-characters.js';

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

// The engine fills a finding's message and command without a copy of its args per result, and knows from the pieces
// (the name tested once) whether the text holds a control character: both must be what the copy and a scan give.
describe('renderFinding', () => {
  it('gives what renderTemplate of { resource, ...args } gives, and says whether the text holds a control character', () => {
    const piece = fc.oneof(fc.constantFrom('{{resource}}', '{{ resource }}', '{{a}}', '{{toString}}', '{{', '}}', ' ', '\n', '{{ x\t}}', '\u2028'), fc.string({ maxLength: 4 }));
    const template = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a\nb', '\u001b[31m', 'x\u202ey', "it's"));
    const args = fc.option(fc.dictionary(fc.constantFrom('a', 'resource', 'x'), fc.oneof(text, fc.integer())), { nil: undefined });
    fc.assert(
      fc.property(template, text, args, fc.option(text, { nil: undefined }), (t, resource, a, quoted) => {
        const rendered = renderFinding(compiledTemplate(t), resource, hasControlCharacters(resource), a, quoted === undefined ? undefined : quoted);
        const expected = renderTemplate(t, { resource, ...a }, quoted);
        // A quoted name stands for the name: it holds a control character when the name does.
        const quotedControl = quoted !== undefined && hasControlCharacters(quoted) !== hasControlCharacters(resource);
        return rendered === expected && (quotedControl || filled.control === hasControlCharacters(expected));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the args as a copy of them would, whatever their prototype', () => {
    const args = Object.assign(Object.create(null) as Record<string, string>, { a: '1' });
    expect(renderFinding(compiledTemplate('{{a}} {{toString}} {{resource}}'), 'r', false, args)).toBe(renderTemplate('{{a}} {{toString}} {{resource}}', { resource: 'r', ...args }));
  });
});
