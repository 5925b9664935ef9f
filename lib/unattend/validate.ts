import { attrsOf, childrenOf, nameOf, parseXml, textOf, type Ordered } from './parse-xml';
import {
  ANSWER_FILE_SCHEMA,
  COMPONENT_ATTRIBUTES,
  UNATTEND_NAMESPACE,
  WCM_NAMESPACE,
  type ElementRule,
} from './schema';

// Two levels. This file holds windock's own rules for the answer file windock writes: a closed
// list of what it writes, so a generator bug fails before a VM boots. Its messages say "windock
// writes", never that Setup refuses: Setup takes much more (validate-document.ts checks a
// file a user brings, against what Microsoft documents).

export interface AnswerFileIssue {
  /** The input the value came from ("unattend.computerName"), or "answer file" for structure. */
  field: string;
  /** Where in the document (pass/component/element path). */
  path: string;
  message: string;
}

function checkElement(node: Ordered, rule: ElementRule, path: string, issues: AnswerFileIssue[]): void {
  const name = nameOf(node);
  const attrs = attrsOf(node);
  if (rule.listItem && attrs['wcm:action'] !== 'add')
    issues.push({ field: 'answer file', path, message: `list item <${name}> needs wcm:action="add"` });
  if (rule.value) {
    const value = textOf(node);
    if (value === undefined) {
      issues.push({
        field: rule.field ?? 'answer file',
        path,
        message: `<${name}> takes text, not elements`,
      });
      return;
    }
    const problem = rule.value(value);
    if (problem) issues.push({ field: rule.field ?? 'answer file', path, message: problem });
    return;
  }
  checkChildren(childrenOf(node), rule.children ?? {}, path, issues);
}

function checkChildren(
  nodes: Ordered[],
  rules: Record<string, ElementRule>,
  path: string,
  issues: AnswerFileIssue[],
): void {
  const seen = new Map<string, number>();
  for (const child of nodes) {
    if ('#text' in child) {
      issues.push({ field: 'answer file', path, message: `unexpected text "${String(child['#text'])}"` });
      continue;
    }
    const name = nameOf(child);
    const rule = rules[name];
    if (!rule) {
      issues.push({
        field: 'answer file',
        path,
        message: `<${name}> is not an element windock writes here (it writes: ${Object.keys(rules).join(', ')})`,
      });
      continue;
    }
    seen.set(name, (seen.get(name) ?? 0) + 1);
    const count = seen.get(name)!;
    if (count > 1 && !rule.listItem)
      issues.push({ field: 'answer file', path, message: `<${name}> appears more than once` });
    checkElement(child, rule, `${path}/${name}${rule.listItem ? `[${count}]` : ''}`, issues);
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (rule.required && !seen.has(name))
      issues.push({ field: rule.field ?? 'answer file', path, message: `<${name}> is missing` });
  }
}

function checkComponent(component: Ordered, pass: string, issues: AnswerFileIssue[]): void {
  const attrs = attrsOf(component);
  const name = attrs.name ?? '';
  const path = `${pass}/${name || '?'}`;
  const rule = ANSWER_FILE_SCHEMA[pass]![name];
  if (!rule) {
    issues.push({
      field: 'answer file',
      path,
      message: `component "${name}" is not one windock writes in pass ${pass} (it writes: ${Object.keys(ANSWER_FILE_SCHEMA[pass]!).join(', ')})`,
    });
    return;
  }
  for (const [attr, expected] of Object.entries(COMPONENT_ATTRIBUTES)) {
    if (attrs[attr] !== expected)
      issues.push({
        field: 'answer file',
        path,
        message: `${attr} is "${attrs[attr] ?? ''}": windock writes "${expected}"`,
      });
  }
  checkChildren(childrenOf(component), rule.children ?? {}, path, issues);
}

/**
 * Checks an answer file windock wrote against what windock writes (elements, passes, limits). Returns
 * every problem (empty: valid); values carry the input field they came from.
 */
export function validateAnswerFile(xml: string): AnswerFileIssue[] {
  const parsed = parseXml(xml);
  if (!parsed.ok) return [{ field: 'answer file', path: `line ${parsed.line}`, message: parsed.message }];
  const issues: AnswerFileIssue[] = [];
  if (nameOf(parsed.root) !== 'unattend')
    return [{ field: 'answer file', path: '/', message: 'the root element must be <unattend>' }];
  const root = parsed.root;
  const rootAttrs = attrsOf(root);
  if (rootAttrs.xmlns !== UNATTEND_NAMESPACE)
    issues.push({
      field: 'answer file',
      path: '/unattend',
      message: `xmlns must be "${UNATTEND_NAMESPACE}"`,
    });
  if (rootAttrs['xmlns:wcm'] !== WCM_NAMESPACE)
    issues.push({ field: 'answer file', path: '/unattend', message: `xmlns:wcm must be "${WCM_NAMESPACE}"` });
  const passes = new Set<string>();
  for (const settings of childrenOf(root)) {
    if ('#text' in settings) continue;
    if (nameOf(settings) !== 'settings') {
      issues.push({
        field: 'answer file',
        path: '/unattend',
        message: `<${nameOf(settings)}> is not <settings>`,
      });
      continue;
    }
    const pass = attrsOf(settings).pass ?? '';
    if (!ANSWER_FILE_SCHEMA[pass]) {
      issues.push({
        field: 'answer file',
        path: '/unattend',
        message: `pass "${pass}" is not one windock writes`,
      });
      continue;
    }
    if (passes.has(pass))
      issues.push({ field: 'answer file', path: pass, message: `pass ${pass} appears more than once` });
    passes.add(pass);
    const names = new Set<string>();
    for (const component of childrenOf(settings)) {
      if ('#text' in component) continue;
      if (nameOf(component) !== 'component') {
        issues.push({
          field: 'answer file',
          path: pass,
          message: `<${nameOf(component)}> is not <component>`,
        });
        continue;
      }
      const name = attrsOf(component).name ?? '';
      if (names.has(name))
        issues.push({
          field: 'answer file',
          path: pass,
          message: `component ${name} appears twice in ${pass}`,
        });
      names.add(name);
      checkComponent(component, pass, issues);
    }
  }
  return issues;
}

/** One line per issue: "unattend.computerName: ... (at specialize/...)". */
export function formatAnswerFileIssues(issues: AnswerFileIssue[]): string[] {
  return issues.map((issue) => `${issue.field}: ${issue.message} (at ${issue.path})`);
}
