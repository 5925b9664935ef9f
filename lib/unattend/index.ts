import { generateAnswerFile, type AnswerFileInput } from './generate';
import { validateAnswerFile, type AnswerFileIssue } from './validate';

export * from './generate';
export * from './validate';
export { validateOwnAnswerFile } from './validate-document';
export { answerFileFacts, type AnswerFileFacts } from './answer-file-facts';
export { decodeXmlBytes } from './parse-xml';
export { WINDOWS_VERSIONS, windowsVersion } from './windows-versions';
export { computerName as checkComputerName } from './limits';

/** Generates and validates in one step: the XML only when Windows Setup would accept it. */
export function answerFile(
  input: AnswerFileInput,
): { ok: true; xml: string } | { ok: false; issues: AnswerFileIssue[] } {
  const { xml, issues } = generateAnswerFile(input);
  const problems: AnswerFileIssue[] = [
    ...issues.map((issue) => ({ ...issue, path: 'generator' })),
    ...validateAnswerFile(xml),
  ];
  return problems.length === 0 ? { ok: true, xml } : { ok: false, issues: problems };
}

/**
 * A computer name from a VM name, trimmed to Windows' rules: upper case, letters, digits and
 * "-", at most 15 characters, not only digits.
 */
export function computerNameFor(vmName: string): string {
  let name = vmName
    .toUpperCase()
    .replace(/[^A-Z0-9-]/g, '-')
    .slice(0, 15)
    .replace(/^-+|-+$/g, '');
  if (name === '' || /^\d+$/.test(name)) name = `W${name}`.slice(0, 15);
  return name;
}
