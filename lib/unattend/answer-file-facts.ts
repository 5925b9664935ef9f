import { BEACON_DEVICE, BEACON_TEXT } from './generate';
import { attrsOf, childNamed, elementsOf, nameOf, parseXml, textOf, type Ordered } from './parse-xml';

/** What windock needs to know of an answer file a user brings. */
export interface AnswerFileFacts {
  /** The DiskIDs Setup partitions (DiskConfiguration) and installs to (OSImage/InstallTo). */
  installDisks: number[];
  /** The DiskID of OSImage/InstallTo: where Windows goes (absent: InstallToAvailablePartition). */
  installTo?: number;
  /** A first-logon command writes windock's readiness beacon. */
  writesBeacon: boolean;
}

const path = (node: Ordered | undefined, ...names: string[]): Ordered[] => {
  if (!node) return [];
  if (names.length === 0) return [node];
  const [first, ...rest] = names;
  return elementsOf(node)
    .filter((c) => nameOf(c) === first)
    .flatMap((c) => path(c, ...rest));
};

function components(root: Ordered, pass: string, name: string): Ordered[] {
  return path(root, 'settings')
    .filter((s) => attrsOf(s).pass === pass)
    .flatMap((s) => path(s, 'component'))
    .filter((c) => attrsOf(c).name === name);
}

const numbers = (nodes: Ordered[]): number[] =>
  nodes.map((n) => Number((textOf(n) ?? '').trim())).filter((n) => Number.isInteger(n));

/** Facts of a well-formed answer file (undefined when it does not parse). */
export function answerFileFacts(xml: string): AnswerFileFacts | undefined {
  const parsed = parseXml(xml);
  if (!parsed.ok) return undefined;
  const setup = components(parsed.root, 'windowsPE', 'Microsoft-Windows-Setup');
  const installTo = numbers(setup.flatMap((c) => path(c, 'ImageInstall', 'OSImage', 'InstallTo', 'DiskID')));
  const disks = [
    ...numbers(setup.flatMap((c) => path(c, 'DiskConfiguration', 'Disk', 'DiskID'))),
    ...installTo,
  ];
  const commands = components(parsed.root, 'oobeSystem', 'Microsoft-Windows-Shell-Setup')
    .flatMap((c) => path(c, 'FirstLogonCommands', 'SynchronousCommand'))
    .map((c) => textOf(childNamed(c, 'CommandLine') ?? ({ x: [] } as Ordered)) ?? '');
  const beaconPort = BEACON_DEVICE.split('\\').pop()!;
  return {
    installDisks: [...new Set(disks)],
    ...(installTo.length > 0 ? { installTo: installTo[0] } : {}),
    writesBeacon: commands.some((line) => line.includes(BEACON_TEXT) && line.includes(beaconPort)),
  };
}
