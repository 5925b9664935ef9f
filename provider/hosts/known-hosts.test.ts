import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  entryMatches,
  hashKnownHostsName,
  knownHostsName,
  lookupKnownHosts,
  parseKnownHosts,
} from './known-hosts';

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIBqZ0cDkJ0m7GGgcY7E1hQ0HcGfT9YVxHmRkB7Xb2eWQ';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIM7Jw8QYq9m1fRzV8u1eX3pU5Hq0b6m6lJ2Xw7cX4k9a';

test('the lookup name is host on port 22 and [host]:port otherwise', () => {
  expect(knownHostsName('a.example', 22)).toBe('a.example');
  expect(knownHostsName('127.0.0.2', 2212)).toBe('[127.0.0.2]:2212');
});

test('plain entries, lists, wildcards and negation', () => {
  expect(entryMatches('a.example,b.example', 'b.example', 22)).toBe(true);
  expect(entryMatches('a.example', 'a.example', 2222)).toBe(false);
  expect(entryMatches('[a.example]:2222', 'a.example', 2222)).toBe(true);
  expect(entryMatches('*.example', 'gpu-1.EXAMPLE', 22)).toBe(true);
  expect(entryMatches('*.example,!bad.example', 'bad.example', 22)).toBe(false);
  expect(entryMatches('gpu-?.example', 'gpu-7.example', 22)).toBe(true);
});

test('hashed entries match exactly the hashed name', () => {
  fc.assert(
    fc.property(fc.domain(), fc.integer({ min: 1, max: 65535 }), (host, port) => {
      const field = hashKnownHostsName(knownHostsName(host, port), randomBytes(20));
      expect(entryMatches(field, host, port)).toBe(true);
      expect(entryMatches(field, host + 'x', port)).toBe(false);
    }),
    { numRuns: 50 },
  );
});

test('markers: @revoked applies, @cert-authority is skipped, comments and junk ignored', () => {
  const text = [
    '# comment',
    '',
    `[h]:2212 ssh-ed25519 ${K1} comment`,
    `@revoked * ssh-ed25519 ${K2}`,
    `@cert-authority *.example ssh-ed25519 ${K2}`,
    'garbage',
  ].join('\n');
  const entries = parseKnownHosts(text);
  expect(entries).toHaveLength(3);
  const r = lookupKnownHosts(entries, 'h', 2212);
  expect(r.keys.map((k) => k.line)).toEqual([3]);
  expect(r.revoked.map((k) => k.line)).toEqual([4]);
  expect(lookupKnownHosts(entries, 'h', 22).keys).toHaveLength(0);
});
