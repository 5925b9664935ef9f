import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupervisorError } from '../exit-codes';
import { ownAnswerFileBytes } from './own-answer-file';

const WIN11 = readFileSync(join(__dirname, '../../../tests/fixtures/answer-files/dockur/win11x64.xml'));

describe("the user's own answer file in the image", () => {
  test('its secret gives back the bytes as they are', () => {
    expect(ownAnswerFileBytes(WIN11.toString('base64'))).toEqual(WIN11);
  });

  test('a file changed into something Setup cannot read is refused, naming unattend.file', () => {
    const broken = Buffer.from(WIN11.toString('utf8').slice(0, 300)).toString('base64');
    expect(() => ownAnswerFileBytes(broken)).toThrow(SupervisorError);
    expect(() => ownAnswerFileBytes(broken)).toThrow(/unattend\.file .*not well-formed XML/);
    const binary = Buffer.from([0xc3, 0x28, 0xa0]).toString('base64');
    expect(() => ownAnswerFileBytes(binary)).toThrow(/not UTF-8 or UTF-16 text/);
  });

  test('a file that installs to another disk than the system disk of the real command line is refused', () => {
    expect(ownAnswerFileBytes(WIN11.toString('base64'), 1)).toEqual(WIN11);
    expect(() => ownAnswerFileBytes(WIN11.toString('base64'), 2)).toThrow(
      /installs Windows to DiskID 1, but this VM's system disk is DiskID 2 for Windows Setup/,
    );
  });
});
