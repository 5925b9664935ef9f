import * as limit from './limits';
import type { ValueCheck } from './limits';
import { attrsOf, elementsOf, nameOf, parseXml, textOf, type Ordered } from './parse-xml';
import { UNATTEND_NAMESPACE } from './schema';
import type { AnswerFileIssue } from './validate';

// The lenient level: an answer file a user brings (`unattend.file`). Windows Setup takes every
// component and setting of Microsoft's Unattended Windows Setup Reference, far more than windock
// writes, so this refuses only what the reference says Setup refuses or cannot read, and checks
// values only for the settings listed below. Each of dockur/windows's 29 working answer files
// passes (tests/fixtures/answer-files/dockur).

// "Windows Setup configuration passes" in the reference: the only values of settings/@pass.
const PASSES = [
  'windowsPE',
  'offlineServicing',
  'generalize',
  'specialize',
  'auditSystem',
  'auditUser',
  'oobeSystem',
];

// The ProcessorArchitectures enumeration of component manifests (x86, ia64, amd64, wow64, msil,
// arm) and arm64 for Windows on Arm. Answer files may carry a component once per architecture:
// Setup applies those of the running Windows (dockur: amd64 and wow64 for Internet Explorer).
const ARCHITECTURES = ['x86', 'amd64', 'wow64', 'arm64', 'arm', 'ia64', 'msil'];

/** Settings whose values the reference limits: "component/path/to/Element" -> check. */
const VALUE_CHECKS: Record<string, ValueCheck> = {
  'Microsoft-Windows-Shell-Setup/ComputerName': limit.setupComputerName,
  'Microsoft-Windows-Shell-Setup/TimeZone': limit.timeZone,
  'Microsoft-Windows-Shell-Setup/FirstLogonCommands/SynchronousCommand/CommandLine': limit.commandLine,
  'Microsoft-Windows-Setup/UserData/ProductKey/Key': limit.setupProductKey,
  'Microsoft-Windows-Setup/ImageInstall/OSImage/InstallFrom/MetaData/Key': limit.setupImageKey,
  'Microsoft-Windows-Setup/ImageInstall/OSImage/InstallTo/DiskID': limit.integer(0, 255),
  'Microsoft-Windows-Setup/ImageInstall/OSImage/InstallTo/PartitionID': limit.integer(1, 128),
  'Microsoft-Windows-Setup/DiskConfiguration/Disk/DiskID': limit.integer(0, 255),
};

const issue = (path: string, message: string): AnswerFileIssue => ({ field: 'unattend.file', path, message });

function checkValues(node: Ordered, key: string, path: string, issues: AnswerFileIssue[]): void {
  for (const child of elementsOf(node)) {
    const name = nameOf(child);
    const childKey = `${key}/${name}`;
    const check = VALUE_CHECKS[childKey];
    if (check) {
      const value = textOf(child);
      const problem = value === undefined ? `<${name}> takes text, not elements` : check(value.trim());
      if (problem) issues.push(issue(`${path}/${name}`, `<${name}> ${problem}`));
      continue;
    }
    checkValues(child, childKey, `${path}/${name}`, issues);
  }
}

function checkComponent(component: Ordered, pass: string, issues: AnswerFileIssue[]): void {
  const attrs = attrsOf(component);
  const path = `${pass}/${attrs.name ?? '?'}`;
  if (!attrs.name)
    issues.push(issue(pass, '<component> has no name attribute: Setup cannot tell what it sets'));
  const arch = attrs.processorArchitecture;
  if (!arch || !ARCHITECTURES.includes(arch))
    issues.push(
      issue(
        path,
        `processorArchitecture is "${arch ?? ''}": Windows Setup knows ${ARCHITECTURES.join(', ')} (amd64 for 64-bit Windows)`,
      ),
    );
  checkValues(component, attrs.name ?? '', path, issues);
}

/**
 * Checks an answer file a user brings against what Microsoft documents Windows Setup refuses:
 * well-formed XML, an <unattend> document in Setup's namespace, known passes and architectures,
 * and the documented limits of a few settings. Returns every problem (empty: Setup can read it).
 */
export function validateOwnAnswerFile(xml: string): AnswerFileIssue[] {
  const parsed = parseXml(xml);
  if (!parsed.ok)
    return [issue(`line ${parsed.line}`, `${parsed.message}: give an answer file (autounattend.xml)`)];
  const root = parsed.root;
  if (nameOf(root) !== 'unattend')
    return [
      issue(
        '/',
        `XML but not an answer file: its root element is <${nameOf(root)}>, Windows Setup reads <unattend xmlns="${UNATTEND_NAMESPACE}">`,
      ),
    ];
  const issues: AnswerFileIssue[] = [];
  if (attrsOf(root).xmlns !== UNATTEND_NAMESPACE)
    issues.push(
      issue('/unattend', `<unattend> needs xmlns="${UNATTEND_NAMESPACE}": Setup reads only that namespace`),
    );
  for (const settings of elementsOf(root)) {
    const pass = attrsOf(settings).pass ?? '';
    if (nameOf(settings) !== 'settings' || !PASSES.includes(pass)) {
      if (nameOf(settings) === 'settings')
        issues.push(
          issue(
            '/unattend',
            `pass "${pass}" is not a Windows Setup configuration pass (${PASSES.join(', ')})`,
          ),
        );
      continue;
    }
    for (const component of elementsOf(settings))
      if (nameOf(component) === 'component') checkComponent(component, pass, issues);
  }
  return issues;
}
