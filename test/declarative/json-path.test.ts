import { describe, expect, it } from 'vitest';
import { meets, observe, type Expectation } from '../../src/declarative/expect.js';
import { isJsonPath, select, selectStrict } from '../../src/declarative/json-path.js';

const answer = { DBClusters: [{ Id: 'a', TagList: [{ Key: 'data-class' }, { Key: 'team' }] }, { Id: 'b', TagList: [] }, { Id: 'c' }], 'odd.key': { 'with space': 1 } };

describe('the JSON path subset', () => {
  it.each([
    ['$', true],
    ['$.DBClusters[*].TagList[*].Key', true],
    ["$['odd.key']['with space']", true],
    ['$.a[0].b', true],
    ['DBClusters', false],
    ['$..Key', false],
    ['$.a[?(@.b)]', false],
    ['$.a[1:2]', false],
  ])('%s is in the subset: %s', (path, valid) => expect(isJsonPath(path)).toBe(valid));

  it('lenient selection: an absent member selects nothing', () => {
    expect(select(answer, '$.DBClusters[*].TagList[*].Key')).toEqual(['data-class', 'team']);
    expect(select(answer, '$.DBClusters[2].TagList[*].Key')).toEqual([]);
    expect(select(answer, "$['odd.key']['with space']")).toEqual([1]);
  });

  it('strict selection: an absent step or a non-list under [*] is an error, never an empty list', () => {
    expect(selectStrict(answer, '$.DBClusters[*]')).toHaveLength(3);
    expect(() => selectStrict({}, '$.DBClusters[*]')).toThrow('$.DBClusters is absent');
    expect(() => selectStrict({ DBClusters: {} }, '$.DBClusters[*]')).toThrow('$.DBClusters is not a list');
    expect(() => selectStrict(answer, '$.DBClusters[*].TagList[*]')).toThrow('$.DBClusters[*].TagList is absent');
    expect(selectStrict({ DBClusters: [] }, '$.DBClusters[*]')).toEqual([]);
  });
});

describe('expectations: nothing selected never passes an "every" test', () => {
  const test = (expectation: Omit<Expectation, 'path'>, root: unknown, path = '$.v[*]') => meets({ path, ...expectation } as Expectation, observe(root, path));
  it.each([
    [{ equals: true }, { v: [] }, false],
    [{ equals: true }, {}, false],
    [{ equals: true }, { v: [true, true] }, true],
    [{ equals: true }, { v: [true, false] }, false],
    [{ matches: '^phi-' }, { v: [] }, false],
    [{ matches: '^phi-' }, { v: ['phi-a', 'phi-b'] }, true],
    [{ matches: '^phi-' }, { v: ['phi-a', null] }, false],
    [{ includes: 'x' }, { v: [] }, false],
    [{ includes: 'x' }, { v: ['y', 'x'] }, true],
    [{ exists: true }, { v: [] }, false],
    [{ exists: false }, { v: [] }, true],
    [{ exists: false }, { v: [1] }, false],
  ])('%j over %j → met: %s', (expectation, root, met) => expect(test(expectation, root).met).toBe(met));

  it('values past the bound kept are not judged as met', () => {
    const many = { v: [...Array.from({ length: 1010 }, () => true)] };
    expect(test({ equals: true }, many)).toEqual({ met: false, why: 'truncated' });
  });
});
