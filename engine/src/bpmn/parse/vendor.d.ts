/** Minimal typings for the untyped entry points of bpmn-moddle and bpmnlint that the parser uses. */
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    readonly $type: string;
    readonly $parent?: ModdleElement;
    readonly id?: string;
    readonly name?: string;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    [property: string]: unknown;
  }
  export interface ParseWarning {
    readonly message: string;
    readonly element?: ModdleElement;
    readonly property?: string;
  }
  export interface FromXmlResult {
    readonly rootElement: ModdleElement;
    readonly warnings: readonly ParseWarning[];
    readonly elementsById: Record<string, ModdleElement>;
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}

declare module 'bpmnlint' {
  import type { ModdleElement } from 'bpmn-moddle';
  export interface LintReport {
    readonly id?: string;
    readonly message: string;
    readonly category: 'error' | 'warn' | 'info' | 'rule-error';
  }
  export class Linter {
    constructor(options: { config: { rules: Record<string, string> }; resolver: unknown });
    lint(definitions: ModdleElement): Promise<Record<string, LintReport[]>>;
  }
}
