import { windowsVmInputFields } from '../provider/resources/windows-vm/inputs';
import { defaultVmName } from './default-vm-name';

describe('defaultVmName', () => {
  it('joins resource and stack into a valid, distinct name', () => {
    expect(defaultVmName('build-01', 'dev')).toBe('build-01-dev');
    expect(defaultVmName('build-01', 'prod')).not.toBe(defaultVmName('build-01', 'dev'));
    expect(defaultVmName('Build_01', 'Team.QA')).toBe('build-01-team-qa');
  });

  it('stays a valid VM name however long, and unique by its hash', () => {
    const a = defaultVmName('a-very-long-resource-name-for-a-windows-vm', 'feature-branch-1234');
    const b = defaultVmName('a-very-long-resource-name-for-a-windows-vm', 'feature-branch-1235');
    expect(a.length).toBeLessThanOrEqual(41);
    expect(a).not.toBe(b);
    expect(windowsVmInputFields.shape.name.safeParse(a).success).toBe(true);
  });
});
