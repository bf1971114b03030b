import { CORE_SCHEMA, dump, load, type LoadOptions } from 'js-yaml';

/**
 * js-yaml with the YAML 1.2 core schema: JSON's types only, so no merge keys (`<<` could copy a
 * large mapping many times over) and no timestamps turned into Date objects. maxDepth (js-yaml
 * 4.3) stops deep nesting before the parser's recursion runs out of stack. Loaded only when a
 * YAML file is read.
 */
export function loadYaml(text: string, maxDepth: number): unknown {
  return load(text, { schema: CORE_SCHEMA, maxDepth } as LoadOptions);
}

/** Settings as YAML that loadYaml reads back the same: plain values only, no anchors, long lines kept whole. */
export function dumpYaml(value: unknown): string {
  return dump(value, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true });
}
