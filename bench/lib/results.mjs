// The run's JSON document: machine, versions, sizes, and for every workload figure, limit and
// primitive the values of each repetition with their summary (median, min, max).
import { summarize } from './stats.mjs';

const summaries = (runs, keys) => Object.fromEntries(keys.map((k) => [k, summarize(runs.map((r) => r[k]))]));

/** Builds the JSON document from what the three sections measured. */
export function buildResults({ meta, adapters, workloads, workloadRuns, limits, limitRuns, primitives, primitiveRuns }) {
  return {
    ...meta,
    pools: adapters.map(({ id, label, lib, mode, raw = false, natural, scale = 1 }) => ({ id, label, lib, mode, raw, natural, scale })),
    workloads: workloads.map((w) => ({
      id: w.id,
      title: w.title,
      figures: w.figures,
      results: Object.fromEntries(
        Object.entries(workloadRuns?.[w.id] ?? {})
          .filter(([, runs]) => runs.length > 0)
          .map(([id, runs]) => [id, { runs, summary: summaries(runs, w.figures.map((f) => f.key)) }]),
      ),
    })),
    limits: limitRuns ? limits.map(({ run, ...l }) => ({ ...l, runs: limitRuns[l.key], summary: summarize(limitRuns[l.key]) })) : [],
    primitives: primitiveRuns ? primitives.map(({ run, ...p }) => ({ ...p, runs: primitiveRuns[p.key], summary: summarize(primitiveRuns[p.key]) })) : [],
  };
}
