/**
 * How an area file declares its cases: a name, the SEMANTICS.md ids it
 * proves, the capabilities it needs, and the body.
 */
import type { Capability, ConformanceContext } from './context.js';

/**
 * One case of the suite: its area and name, the SEMANTICS.md ids it proves, the capabilities it needs (or must lack), its timeout and its body.
 *
 * @example
 * ```ts
 * for (const c of allCases) console.log(`${c.area}: ${c.name} [${c.ids.join(', ')}]`);
 * ```
 */
export interface CaseDefinition {
  readonly area: string;
  readonly name: string;
  /** SEMANTICS.md ids (X01, L27...) or DESIGN.md sections this case proves. */
  readonly ids: readonly string[];
  readonly requires: readonly Capability[];
  /** Capabilities the case is about the absence of (skipped where the adapter has them). */
  readonly unless: readonly Capability[];
  /** Milliseconds; generous, since machines are shared. */
  readonly timeout: number;
  readonly run: (ctx: ConformanceContext) => Promise<void>;
}

export interface CaseExtras {
  readonly requires?: readonly Capability[];
  readonly unless?: readonly Capability[];
  readonly timeout?: number;
}

/** Returns a `case` helper for one area. */
export function area(name: string) {
  const cases: CaseDefinition[] = [];
  const define = (title: string, ids: readonly string[], run: CaseDefinition['run'], extras: CaseExtras = {}): void => {
    cases.push({ area: name, name: title, ids, requires: extras.requires ?? [], unless: extras.unless ?? [], timeout: extras.timeout ?? 30_000, run });
  };
  return { cases, define };
}
