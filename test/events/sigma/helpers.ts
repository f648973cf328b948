// Compiling small rules inline for the engine tests.
import { compileRuleSource, type CompileOptions, type CompiledRule, type SigmaRule } from '../../../src/events/sigma/index.js';

/** Removes the common indentation of a template literal's lines. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => (/^ */.exec(l) as RegExpExecArray)[0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export const LOGSOURCE = 'logsource:\n  product: aws\n  service: cloudtrail\n';

/** A CloudTrail rule with the given detection body (the lines under `detection:`), plus extra top-level YAML. */
export function detect(body: string, extra = '', options: CompileOptions = {}): CompiledRule {
  const detection = dedent(body)
    .split('\n')
    .map((l) => '  ' + l)
    .join('\n');
  const text = `title: inline rule\n${LOGSOURCE}detection:\n${detection}\n${dedent(extra || '\n')}\n`;
  return compileRuleSource(text, 'inline.yml', options)[0] as CompiledRule;
}

/** Every rule of a whole YAML text (documents separated by ---). */
export function compileAll(text: string, file = 'inline.yml', options: CompileOptions = {}): SigmaRule[] {
  return compileRuleSource(dedent(text), file, options);
}
