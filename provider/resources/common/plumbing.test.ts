import { z } from 'zod';
import { zodFailures } from './check-failures';
import { inputsWithout } from './inputs-of';
import { StackSettings } from './stack-settings';
import { containsUnknown, UNKNOWN } from './unknown';

describe('shared resource plumbing', () => {
  it('recovers inputs from outputs by dropping the computed keys and the provider key', () => {
    const inputsOf = inputsWithout(z.object({ id: z.string(), phase: z.string() }));
    expect(inputsOf({ name: 'a', id: 'x', phase: 'running', __provider: 'p' })).toEqual({ name: 'a' });
  });

  it('maps each zod issue to a failure named by its top-level input', () => {
    const parsed = z.strictObject({ cpu: z.number(), ports: z.array(z.number()) }).safeParse({
      cpu: 'x',
      ports: [1, 'y'],
    });
    if (parsed.success) throw new Error('expected a failure');
    expect(zodFailures(parsed.error)).toEqual([
      { property: 'cpu', reason: expect.stringMatching(/^cpu: /) },
      { property: 'ports', reason: expect.stringMatching(/^ports\.1: /) },
    ]);
  });

  it('finds the preview placeholder anywhere in a value', () => {
    expect(containsUnknown({ a: [{ b: UNKNOWN }] })).toBe(true);
    expect(containsUnknown({ a: [{ b: 'known' }] })).toBe(false);
  });

  it('reads hosts and image from the stack config once configured', () => {
    const settings = new StackSettings();
    expect(settings.hostConfig('local').kind).toBe('local');
    const config = new Map([
      ['windock:image', 'windock/vm:1'],
      ['windock:gpuSysfsRoot', '/tmp/sys'],
    ]);
    settings.configure({ config: { get: (key) => config.get(key) } });
    expect(settings.current.image).toBe('windock/vm:1');
    expect(settings.config('windock:gpuSysfsRoot')).toBe('/tmp/sys');
    expect(() => settings.hostConfig('nowhere')).toThrow(/host "nowhere" is not configured/);
  });
});
