import { HostConfigError } from './errors';
import { HostPool } from './host-pool';

test('same name + same config: the same client; a changed config replaces it', async () => {
  const pool = new HostPool();
  const a = pool.get({ name: 'l', kind: 'local', socketPath: '/run/a.sock' });
  expect(pool.get({ kind: 'local', name: 'l', socketPath: '/run/a.sock' })).toBe(a);
  const b = pool.get({ name: 'l', kind: 'local', socketPath: '/run/b.sock' });
  expect(b).not.toBe(a);
  expect(pool.names()).toEqual(['l']);
  await pool.close('l');
  expect(pool.has('l')).toBe(false);
  await pool.closeAll();
});

test('unknown names and bad configs are HostConfigErrors', async () => {
  const pool = new HostPool();
  await expect(pool.ping('nope')).rejects.toBeInstanceOf(HostConfigError);
  expect(() =>
    pool.get({ name: 'x', kind: 'ssh', host: 'h', user: 'u', auth: { agent: true } } as never),
  ).toThrow(/hostKey is required/);
});
