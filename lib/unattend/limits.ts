import { timeZoneNamed, WINDOWS_TIME_ZONES } from './time-zones';

/**
 * Windows Setup's limits on answer-file values. Each check returns undefined when the value is
 * accepted, else what is wrong and how to fix it.
 */
export type ValueCheck = (value: string) => string | undefined;

// XML 1.0 cannot carry most control characters, and Setup reads none of them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Text of at most `max` characters. `documented`: Microsoft's reference gives this limit (the
 * message then says Setup takes no more); else it is windock's own bound for what it writes.
 */
export const text =
  (max: number, min = 0, documented = false): ValueCheck =>
  (value) => {
    if (CONTROL.test(value)) return 'contains a control character: remove it';
    if (value.length < min) return min === 1 ? 'is empty: give a value' : `is shorter than ${min} characters`;
    if (value.length > max)
      return documented
        ? `is ${value.length} characters long: Windows Setup takes at most ${max}`
        : `is ${value.length} characters long: windock writes at most ${max}`;
    return undefined;
  };

export const bool: ValueCheck = (value) =>
  value === 'true' || value === 'false' ? undefined : `is "${value}": use true or false`;

export const integer =
  (min: number, max: number): ValueCheck =>
  (value) => {
    const n = Number(value);
    return /^\d+$/.test(value) && n >= min && n <= max
      ? undefined
      : `is "${value}": use a whole number ${min}-${max}`;
  };

export const oneOf =
  (...allowed: string[]): ValueCheck =>
  (value) =>
    allowed.includes(value) ? undefined : `is "${value}": use one of ${allowed.join(', ')}`;

// Microsoft-Windows-Shell-Setup | ComputerName (learn.microsoft.com/windows-hardware/customize/
// desktop/unattend/microsoft-windows-shell-setup-computername): at most 15 characters, none of
// these (nor a space), not only digits; "*" (or empty) makes Setup generate a random name, which
// all 29 of dockur/windows's answer files use.
const SETUP_REFUSED_IN_NAMES = '{|}~[\\]^\':;<=>?@!"#$%`()+/.,*& ';

/** A computer name as Windows Setup takes it (Microsoft's documented rules, "*" included). */
export const setupComputerName: ValueCheck = (value) => {
  if (value === '*' || value === '') return undefined;
  if (value.length > 15)
    return `"${value}" is ${value.length} characters: Windows computer names have at most 15`;
  const bad = [...new Set([...value].filter((c) => SETUP_REFUSED_IN_NAMES.includes(c)))];
  if (bad.length > 0)
    return `"${value}" contains ${bad.map((c) => JSON.stringify(c)).join(' ')}, which Windows Setup refuses in computer names: use only letters, digits and "-"`;
  if (/^\d+$/.test(value)) return `"${value}" is only digits: Windows needs at least one letter or "-"`;
  return undefined;
};

/**
 * The computer name windock writes: Setup's rules, and windock's own: a name (not "*"), of
 * letters, digits and "-" only, no leading or trailing "-" (a DNS host name as well).
 */
export const computerName: ValueCheck = (value) => {
  if (value.length === 0) return 'is empty: give a computer name';
  if (value === '*')
    return '"*" lets Windows pick a random name: windock writes a name it can report; give one';
  const setup = setupComputerName(value);
  if (setup) return setup;
  if (!/^[A-Za-z0-9-]+$/.test(value))
    return `"${value}" has characters windock does not write into computer names: use only letters, digits and "-"`;
  if (value.startsWith('-') || value.endsWith('-')) return `"${value}" starts or ends with "-": remove it`;
  return undefined;
};

const USER_FORBIDDEN = '/\\[]:;|=,+*?<>"@';

/** Local account names: at most 20 characters, none of /\[]:;|=,+*?<>"@, not only dots or spaces. */
export const userName: ValueCheck = (value) => {
  if (value.length === 0) return 'is empty: give a user name';
  if (value.length > 20)
    return `"${value}" is ${value.length} characters: Windows user names have at most 20`;
  const bad = [...value].filter((c) => USER_FORBIDDEN.includes(c) || CONTROL.test(c));
  if (bad.length > 0)
    return `"${value}" contains ${[...new Set(bad)].map((c) => JSON.stringify(c)).join(' ')}: Windows user names cannot contain any of ${USER_FORBIDDEN}`;
  if (/^[. ]+$/.test(value)) return 'is only dots or spaces: use letters or digits';
  const reserved = ['administrator', 'guest', 'defaultaccount', 'wdagutilityaccount'];
  if (reserved.includes(value.toLowerCase()))
    return `"${value}" is a built-in account: choose another name (for example "admin")`;
  return undefined;
};

export const password: ValueCheck = (value) => {
  if (CONTROL.test(value)) return 'contains a control character: remove it';
  if (value.length === 0) return 'is empty: give a password (Windows Setup needs one for autologon)';
  if (value.length > 127) return `is ${value.length} characters long: Windows passwords have at most 127`;
  return undefined;
};

export const timeZone: ValueCheck = (value) => {
  if (WINDOWS_TIME_ZONES.has(value)) return undefined;
  const fixed = timeZoneNamed(value);
  if (fixed) return `"${value}" is spelled "${fixed}" in Windows: use that`;
  if (value.includes('/'))
    return `"${value}" is an IANA zone name: Windows uses its own ids, like "W. Europe Standard Time" or "UTC" (tzutil /l lists them)`;
  return `"${value}" is not a Windows time zone id: use one like "UTC", "Pacific Standard Time" or "W. Europe Standard Time" (tzutil /l lists them)`;
};

/** A language tag ("en-US", "sr-Latn-RS"). */
export const locale: ValueCheck = (value) =>
  /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/.test(value)
    ? undefined
    : `"${value}" is not a locale name: use a language tag like "en-US" or "de-DE"`;

/** An input locale: a language tag, or "LANGID:KLID" ("0409:00000409"), several joined by ";". */
export const inputLocale: ValueCheck = (value) => {
  const parts = value.split(';');
  if (parts.length > 5) return 'lists more than 5 keyboards: Windows Setup takes at most 5';
  for (const part of parts) {
    if (/^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{8}$/.test(part)) continue;
    if (locale(part) === undefined) continue;
    return `"${part}" is not a keyboard: use a language tag like "de-DE" or an input locale like "0407:00000407"`;
  }
  return undefined;
};

/**
 * Microsoft-Windows-Setup | UserData | ProductKey | Key as Setup takes it: a 5x5 key, or empty
 * (an evaluation or volume-licence medium needs none: dockur's win10x64-iot.xml has `<Key />`).
 */
export const setupProductKey: ValueCheck = (value) =>
  value === '' || /^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){4}$/.test(value)
    ? undefined
    : 'is not a product key: use the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX, or leave Key empty';

// ImageInstall | OSImage | InstallFrom | MetaData | Key: Microsoft's reference lists
// /IMAGE/INDEX, /IMAGE/NAME and /IMAGE/DESCRIPTION; Setup matches them whatever the case (dockur's
// win7x64.xml, win81x64.xml ... pick "/image/index" and install).
const IMAGE_KEYS = ['/IMAGE/INDEX', '/IMAGE/NAME', '/IMAGE/DESCRIPTION'];

export const setupImageKey: ValueCheck = (value) =>
  IMAGE_KEYS.includes(value.toUpperCase())
    ? undefined
    : `is "${value}": Windows Setup selects an image by ${IMAGE_KEYS.join(', ')}`;

export const productKey: ValueCheck = (value) =>
  /^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/.test(value)
    ? undefined
    : 'is not a product key: use the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX (capital letters and digits)';

export const domainName: ValueCheck = (value) => {
  const length = text(255, 1)(value);
  if (length) return length;
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(value)
    ? undefined
    : `"${value}" is not a domain name: use a DNS name like "corp.example.com"`;
};

/** The account that joins the domain: a user name, "DOMAIN\\user" or "user@domain". */
export const joinAccount: ValueCheck = (value) => {
  if (value.length === 0) return 'is empty: give the account that may join computers to the domain';
  if (CONTROL.test(value)) return 'contains a control character: remove it';
  const user = value.includes('\\') ? value.slice(value.indexOf('\\') + 1) : value.split('@')[0]!;
  return value.length > 104
    ? `is ${value.length} characters: at most 104`
    : userName(user) && `user part ${userName(user)}`;
};

/** A first-logon command: Windows Setup runs at most 1024 characters per command line. */
export const commandLine: ValueCheck = text(1024, 1, true);
